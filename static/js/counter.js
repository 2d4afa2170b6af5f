// Progressive enhancement: "已输入 N / 5000 字" under a text box with a length limit, so that
// nobody is cut off without knowing. Without JavaScript the limit is in the help text and the
// server says how long the text was.
(function () {
  document.querySelectorAll("textarea[data-counter][maxlength]").forEach(function (box) {
    var limit = parseInt(box.getAttribute("maxlength"), 10);
    var out = document.createElement("p");
    out.className = "muted counter";
    out.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", out);
    function update() {
      var n = Array.from(box.value).length;
      out.textContent = (document.documentElement.lang || "").indexOf("zh") === 0
        ? "已输入 " + n + " / " + limit + " 字"
        : n + " / " + limit + " characters";
      out.classList.toggle("error", n >= limit);
    }
    box.addEventListener("input", update);
    update();
  });
})();
