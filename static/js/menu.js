// The header's menu button on small screens shows or hides the menu, with Bootstrap's own
// collapse classes but without Bootstrap's 80 kB bundle, which nothing else here needs
// (Lighthouse counted its parsing as blocking time on a phone).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-menu-toggle]");
  if (!button) return;
  const menu = document.getElementById(button.getAttribute("aria-controls"));
  const open = menu.classList.toggle("show");
  button.setAttribute("aria-expanded", String(open));
});
