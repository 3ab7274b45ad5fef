// Long text fields say how much room is left. The browser's maxlength would cut a long paste
// without a word, so it is taken off and this counter says how far over the text is; the server
// refuses an over-long text with a field error, as it always has. The texts come translated on
// the script's data attributes ("%(n)s" stands for the number).
(function () {
  "use strict";
  var script = document.currentScript;
  var left = script.getAttribute("data-left") || "%(n)s characters left";
  var over = script.getAttribute("data-over") || "%(n)s characters too many";
  // Only fields where a person writes: names, codes and the lists' search boxes need no counter.
  var MIN_LIMIT = 200;

  function length(value) {
    // What the server counts: characters, not UTF-16 units, and a line break is sent as CR LF.
    return Array.from(value).length + (value.match(/\n/g) || []).length;
  }

  function attach(field) {
    var limit = parseInt(field.getAttribute("maxlength"), 10);
    if (!(limit >= MIN_LIMIT) || (field.form && field.form.method === "get")) { return; }
    field.removeAttribute("maxlength");
    field.setAttribute("data-maxlength", String(limit));
    var counter = document.createElement("small");
    counter.className = "char-count";
    counter.id = (field.id || field.name) + "-count";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    function update() {
      var room = limit - length(field.value);
      counter.textContent = (room >= 0 ? left : over).replace("%(n)s", String(Math.abs(room)));
      counter.classList.toggle("over", room < 0);
      if (room < 0) {
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("data-count-invalid", "true");
      } else if (field.getAttribute("data-count-invalid")) {
        field.removeAttribute("aria-invalid");
        field.removeAttribute("data-count-invalid");
      }
    }
    field.addEventListener("input", update);
    update();
  }

  function start() {
    var fields = document.querySelectorAll("textarea[maxlength], input[type=text][maxlength]");
    for (var i = 0; i < fields.length; i++) { attach(fields[i]); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
