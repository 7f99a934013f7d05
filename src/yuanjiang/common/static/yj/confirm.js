// Ask before a click on an element marked data-confirm="…" goes through (e.g. publishing a report
// card). The Content-Security-Policy runs no onclick attributes, so pages mark buttons instead.
document.addEventListener("click", function (event) {
  var target = event.target instanceof Element ? event.target.closest("[data-confirm]") : null;
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// A "select all" box (class="select-all") ticks or unticks the boxes named "ids" of its form (the
// 待办 inbox's batch forms). No onclick attribute: the Content-Security-Policy would not run it.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.classList.contains("select-all") || !box.form) {
    return;
  }
  box.form.querySelectorAll("input[name=ids]").forEach(function (b) {
    b.checked = box.checked;
  });
});
