// Ask before a click on an element marked data-confirm="…" goes through (e.g. publishing a report
// card). The Content-Security-Policy runs no onclick attributes, so pages mark buttons instead.
document.addEventListener("click", function (event) {
  var target = event.target instanceof Element ? event.target.closest("[data-confirm]") : null;
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
