// Progress bars take their width from data-percent: the CSP forbids inline styles from templates.
document.querySelectorAll(".progress-bar[data-percent]").forEach((bar) => {
  bar.style.width = `${Number(bar.dataset.percent) || 0}%`;
});
