// The visit being typed is saved on the server as it is typed (and when the page is left), so a
// lost connection, a reload or the back button loses nothing. The form's data-draft-url takes it.
(function () {
  var form = document.getElementById("visit-form");
  if (!form) { return; }
  var url = form.getAttribute("data-draft-url");
  var status = form.querySelector("[data-draft-status]");
  var timer = null;
  var dirty = false;

  function payload() {
    var data = new FormData(form);
    data.delete("action");
    return data;
  }

  function save(keepalive) {
    if (!dirty) { return; }
    dirty = false;
    var data = payload();
    fetch(url, { method: "POST", body: data, credentials: "same-origin", keepalive: !!keepalive,
      headers: { "X-CSRFToken": data.get("csrfmiddlewaretoken") } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (body) {
        if (status) { status.textContent = status.getAttribute("data-saved") + " " + body.at; }
      })
      .catch(function () {
        dirty = true;
        if (status) { status.textContent = status.getAttribute("data-failed"); }
        clearTimeout(timer);
        timer = setTimeout(function () { save(false); }, 5000);
      });
  }

  function changed() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(function () { save(false); }, 500);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { dirty = false; clearTimeout(timer); });
  window.addEventListener("pagehide", function () { save(true); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(true); }
  });
  window.addEventListener("online", function () { if (dirty) { save(false); } });

  var add = form.querySelector("[data-add-item]");
  if (add) {
    add.addEventListener("click", function () {
      var boxes = form.querySelectorAll("textarea[name=items]");
      var last = boxes[boxes.length - 1];
      var box = last.cloneNode(false);
      box.value = "";
      box.classList.remove("is-invalid");
      add.parentNode.insertBefore(box, add);
      box.focus();
    });
  }
})();
