// Progressive enhancement: without JS the page lists every area with anchor links.
(function () {
  var box = document.getElementById("loc-box"), input = document.getElementById("loc");
  if (!box || !input || !"".normalize) return;
  box.hidden = false;
  function fold(s) {
    return s.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }
  var items = document.querySelectorAll("#toc li, article.area");
  var status = document.getElementById("loc-status"), none = document.getElementById("loc-none");
  function apply() {
    var q = fold(input.value), shown = 0;
    for (var i = 0; i < items.length; i++) {
      var hit = !q || items[i].getAttribute("data-search").indexOf(q) !== -1;
      items[i].hidden = !hit;
      if (hit && items[i].tagName === "ARTICLE") shown++;
    }
    none.hidden = shown > 0;
    status.textContent = q ? "Tìm thấy " + shown + " địa bàn." : "";
  }
  input.addEventListener("input", apply);
  apply();
})();
