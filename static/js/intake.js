// Intake: as soon as the phone number is typed, ask the server who has it (casework:customer_lookup)
// and show that customer with their open and recent cases. Empty customer fields take the record's
// values, the tier too unless the agent chose one; a typed value that differs from the record makes
// the agent choose who is calling (the server refuses to register without that choice anyway).
(function () {
  "use strict";
  var form = document.querySelector("form[data-customer-lookup]");
  if (!form) { return; }
  var url = form.getAttribute("data-customer-lookup");
  var phone = form.elements.namedItem("customer_phone");
  var panel = document.getElementById("known-customer");
  var choice = document.getElementById("caller-choice");
  var categoryName = form.getAttribute("data-repeat-category");
  var fields = {
    name: form.elements.namedItem("customer_name"),
    organisation: form.elements.namedItem("customer_organisation"),
    email: form.elements.namedItem("customer_email"),
    tier: form.elements.namedItem("customer_tier"),
  };
  if (!phone || !panel || !choice) { return; }
  var radios = choice.querySelectorAll("input[type=radio]");
  // A form sent back with errors holds what the agent chose: the record must not overwrite its tier.
  var tierChosen = phone.value.trim() !== "";
  var known = null;
  var asked = "";
  var timer = null;

  fields.tier.addEventListener("change", function () { tierChosen = true; update(); });

  function plain(text) { return (text || "").trim().replace(/\s+/g, " "); }

  function differs() {
    if (!known) { return false; }
    var name = plain(fields.name.value);
    if (name !== plain(known.customer.name) && known.contacts.indexOf(name) < 0) { return true; }
    var org = plain(fields.organisation.value);
    if (org && known.customer.organisation && org.toLowerCase() !== known.customer.organisation.toLowerCase()) { return true; }
    var email = fields.email.value.trim();
    if (email && known.customer.email && email.toLowerCase() !== known.customer.email.toLowerCase()) { return true; }
    return fields.tier.value !== known.customer.tier;
  }

  function chosen() {
    for (var i = 0; i < radios.length; i++) { if (radios[i].checked) { return radios[i].value; } }
    return "";
  }

  function update() {
    var ask = differs() || (known !== null && chosen() !== "");
    choice.hidden = !ask;
    for (var i = 0; i < radios.length; i++) { radios[i].required = ask; }
  }

  function fillEmpty() {
    ["name", "organisation", "email"].forEach(function (key) {
      if (!fields[key].value.trim() && known.customer[key]) { fields[key].value = known.customer[key]; }
    });
    if (!tierChosen) { fields.tier.value = known.customer.tier; }
  }

  function show(data) {
    if (!data || !data.found) {
      known = null;
      panel.textContent = "";
      update();
      return;
    }
    known = data;
    panel.innerHTML = data.html;  // rendered and escaped by the server's template
    fillEmpty();
    update();
  }

  function lookup() {
    var value = phone.value.trim();
    if (value === asked) { return; }
    asked = value;
    if (value.replace(/\D/g, "").length < 7) { show(null); return; }
    var query = "phone=" + encodeURIComponent(value);
    var category = categoryName ? form.elements.namedItem(categoryName) : null;
    if (category && category.value) { query += "&category=" + encodeURIComponent(category.value); }
    fetch(url + "?" + query, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (value === asked) { show(data); } })
      .catch(function () { /* the server still asks for the choice when the form is sent */ });
  }

  phone.addEventListener("change", lookup);
  phone.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 500);
  });
  ["name", "organisation", "email"].forEach(function (key) { fields[key].addEventListener("input", update); });
  for (var i = 0; i < radios.length; i++) {
    radios[i].addEventListener("change", function (event) {
      // "The same person": the record stays as it is, so the form shows the record's details.
      if (event.target.value === "same" && known) {
        ["name", "organisation", "email"].forEach(function (key) {
          if (known.customer[key]) { fields[key].value = known.customer[key]; }
        });
        fields.tier.value = known.customer.tier;
      }
      update();
    });
  }
  if (phone.value.trim()) { lookup(); }
})();
