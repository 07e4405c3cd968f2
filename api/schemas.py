"""What every app's API answers with besides its records."""

from ninja import Schema


class Error(Schema):
    """A refusal the request's own data caused (409): ``message`` says why, in the user's language.
    Not 422, which is ninja's answer to input that does not match the schema, in another shape."""

    message: str
