// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".nav-toggle");
  const nav = document.getElementById("main-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", String(open));
    });
  }
  document.querySelectorAll("[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  document.querySelectorAll("[data-confirm]").forEach((button) => {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });
  // Forms marked data-unsaved-warning: leaving the page with changes not saved asks first
  // (the browser words the question; a page may not).
  document.querySelectorAll("form[data-unsaved-warning]").forEach((form) => {
    let unsaved = false;
    const changed = () => { unsaved = true; };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", () => { unsaved = false; });
    window.addEventListener("beforeunload", (event) => {
      if (!unsaved) return;
      event.preventDefault();
      event.returnValue = "";
    });
  });
});
