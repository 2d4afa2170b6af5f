// Progressive enhancement: the score sheet saves itself a moment after each change.
// Without JavaScript the "save draft" button does the same.
(function () {
  var form = document.getElementById("score-form");
  if (!form || !form.dataset.autosave || !window.fetch) return;
  var status = document.getElementById("autosave-status");
  var timer = null;
  function save() {
    var data = new FormData(form);
    // The form posts a draft to its own page; "submit" is the other button's formaction.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST", body: data, credentials: "same-origin", headers: {"X-Autosave": "1"}
    }).then(function (r) {
      if (status) status.textContent = r.ok ? "已自动保存 " + new Date().toLocaleTimeString() : "自动保存失败";
    }).catch(function () { if (status) status.textContent = "自动保存失败"; });
  }
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  });
})();
