// "Copy link" on a piece (templates/includes/share_links.html): the one script on public pages.
// A file on this origin, allowed by script-src 'self' and not by a nonce: pages come from the
// page cache, which keeps no nonce (commentaries/caching/pages.py). Without it the item stays
// hidden and the other share links still work. What it says comes translated in the button's
// data attributes.
for (const item of document.querySelectorAll("[data-copy-link]")) {
  const button = item.querySelector("button");
  const status = item.querySelector("[role=status]");
  if (navigator.clipboard && button && status) {
    item.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.url);
        status.textContent = button.dataset.copied;
      } catch {
        status.textContent = button.dataset.failed;
      }
    });
  }
}
