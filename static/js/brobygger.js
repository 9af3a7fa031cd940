// Move focus to a form's error summary, on page load and after htmx swaps in a re-rendered form,
// so keyboard and screen-reader users land on the list of what to fix (Designsystemet's guidance).
function focusErrorSummary(root) {
  const summary = (root || document).querySelector(".ds-error-summary");
  if (summary) {
    summary.focus();
  }
}
document.addEventListener("DOMContentLoaded", () => focusErrorSummary(document));
document.addEventListener("htmx:afterSwap", (event) => focusErrorSummary(event.detail.target));
