from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_notification"),
    ]

    operations = [
        migrations.CreateModel(
            name="KeySentinel",
            fields=[
                ("name", models.CharField(max_length=30, primary_key=True, serialize=False)),
                ("token", models.TextField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"verbose_name": "密钥校验值", "verbose_name_plural": "密钥校验值"},
        ),
        migrations.CreateModel(
            name="StateVersion",
            fields=[
                ("name", models.CharField(max_length=60, primary_key=True, serialize=False)),
                ("version", models.PositiveBigIntegerField(default=0)),
            ],
            options={"verbose_name": "缓存版本", "verbose_name_plural": "缓存版本"},
        ),
        migrations.CreateModel(
            name="WorkerHeartbeat",
            fields=[
                ("worker_id", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("host", models.CharField(max_length=120)),
                ("pid", models.PositiveIntegerField()),
                ("started_at", models.DateTimeField(auto_now_add=True)),
                ("seen_at", models.DateTimeField(db_index=True)),
            ],
            options={"verbose_name": "后台任务进程", "verbose_name_plural": "后台任务进程"},
        ),
    ]
