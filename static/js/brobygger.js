// Move focus to a form's error summary, on page load and after htmx swaps in a re-rendered form,
// so keyboard and screen-reader users land on the list of what to fix (Designsystemet's guidance).
// An outerHTML swap replaces the target element itself, so the whole document is searched.
function focusErrorSummary() {
  const summary = document.querySelector(".ds-error-summary");
  if (summary) {
    summary.focus();
  }
}
document.addEventListener("DOMContentLoaded", focusErrorSummary);
document.addEventListener("htmx:afterSettle", focusErrorSummary);
