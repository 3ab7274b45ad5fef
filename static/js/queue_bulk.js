// The queue's "select every case on this page" box ticks or clears the row boxes of the bulk form.
document.querySelectorAll("input.select-all").forEach(function (all) {
  all.addEventListener("change", function () {
    document.querySelectorAll('input[name="cases"][form="bulk-form"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });
});
