// Search-as-you-type for long choice lists (common/autocomplete.py). A box marked
// data-autocomplete="<endpoint>" holds the value (a slug or an ID) and works without this script:
// one types the value. With it, the box becomes hidden and a search box beside it shows the chosen
// record's name (data-label); typing asks the scoped endpoint for at most 20 matches, offered in a
// <datalist>; choosing one sets the hidden value. Text that matches no suggestion is posted as typed,
// so the form answers with its own message. No inline code (the Content-Security-Policy runs none).
(function () {
  "use strict";
  var counter = 0;

  function setup(input) {
    if (input.dataset.autocompleteReady) return;
    input.dataset.autocompleteReady = "1";
    var url = input.getAttribute("data-autocomplete");
    var box = document.createElement("input");
    var list = document.createElement("datalist");
    var byLabel = {};
    counter += 1;
    list.id = "yj-ac-" + counter;
    box.type = "search";
    box.className = (input.className + " autocomplete").trim();
    box.setAttribute("list", list.id);
    box.setAttribute("autocomplete", "off");
    box.placeholder = input.placeholder || "输入名称搜索";
    box.value = input.getAttribute("data-label") || input.value;
    if (input.id) {
      box.id = input.id + "-search";
      var label = document.querySelector('label[for="' + input.id + '"]');
      if (label) label.setAttribute("for", box.id);
    }
    if (input.required) box.required = true;
    if (input.disabled) box.disabled = true;
    if (input.getAttribute("data-label")) byLabel[box.value] = input.value;
    input.type = "hidden";
    input.removeAttribute("required");
    input.parentNode.insertBefore(box, input.nextSibling);
    input.parentNode.insertBefore(list, box.nextSibling);

    var timer = null;
    var last = null;
    function fetchMatches() {
      var q = box.value.trim();
      if (q === last) return;
      last = q;
      var sep = url.indexOf("?") >= 0 ? "&" : "?";
      fetch(url + sep + "q=" + encodeURIComponent(q), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (r) {
          return r.ok ? r.json() : { results: [] };
        })
        .then(function (data) {
          list.textContent = "";
          (data.results || []).forEach(function (item) {
            byLabel[item.text] = item.id;
            var option = document.createElement("option");
            option.value = item.text;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }
    function sync() {
      var text = box.value.trim();
      if (!text) input.value = "";
      else if (Object.prototype.hasOwnProperty.call(byLabel, text)) input.value = byLabel[text];
      else input.value = text;
    }
    box.addEventListener("input", function () {
      sync();
      clearTimeout(timer);
      timer = setTimeout(fetchMatches, 200);
    });
    box.addEventListener("change", sync);
    box.addEventListener("focus", function () {
      if (!list.children.length) fetchMatches();
    });
  }

  function init() {
    document.querySelectorAll("input[data-autocomplete]").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
