// Running totals of the ranking table; the server checks the same limits when it is sent.
(function () {
  "use strict";
  var table = document.querySelector(".ranking-table");
  if (!table) { return; }
  var budget = Number(table.dataset.budget);
  var reserve = Number(table.dataset.reserve);
  var overLimit = table.dataset.overLimit;  // in the page's language, "{limit}" for the amount
  // Written as the page's language writes money, as app/money.py does on the server.
  var money = new Intl.NumberFormat(document.documentElement.lang || "fi", {
    style: "currency", currency: "EUR", maximumFractionDigits: 0
  });
  var euros = function (n) { return money.format(n); };
  function show(id, amount, limit) {
    var output = document.getElementById(id);
    output.textContent = euros(amount) + (amount > limit ? " " + overLimit.replace("{limit}", euros(limit)) : "");
    output.classList.toggle("over-limit", amount > limit);
  }
  function update() {
    var city = 0, other = 0;
    table.querySelectorAll("tbody tr[data-city]").forEach(function (row) {
      var value = Number(row.querySelector(".proposed-amount").value || 0);
      if (row.dataset.city === "true") { city += value; } else { other += value; }
    });
    show("total-city", city, reserve);
    show("total-other", other, budget - reserve);
    show("total-all", city + other, budget);
  }
  table.addEventListener("input", update);
  update();
})();
