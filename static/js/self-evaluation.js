// Progressive enhancement: the running self-evaluation total while percentages are chosen.
// Without JavaScript the total is shown after saving.
(function () {
  var total = document.getElementById("self-total");
  if (!total) return;
  var selects = document.querySelectorAll("select.percent");
  function update() {
    var sum = 0;
    selects.forEach(function (s) {
      if (s.value !== "") sum += (parseInt(s.value, 10) * parseInt(s.dataset.points, 10)) / 100;
    });
    total.textContent = sum.toFixed(1);
    var scored = document.getElementById("scored-count");
    if (scored) {
      var n = 0;
      selects.forEach(function (s) { if (s.value !== "") n += 1; });
      scored.textContent = n;
    }
  }
  selects.forEach(function (s) { s.addEventListener("change", update); });
})();
