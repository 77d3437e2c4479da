/**
 * Focus after navigation: the new page's <h1>. Pages load lazily and then
 * their data, so the heading may come a moment later; it is looked for for
 * a few seconds, and given up if the person has moved focus by then.
 */
export function focusHeadingSoon(): void {
  const started = document.activeElement;
  let tries = 0;
  const look = () => {
    if (document.activeElement !== started && document.activeElement !== document.body) return;
    const heading = document.querySelector<HTMLElement>("main h1");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
      return;
    }
    if (++tries < 60) setTimeout(look, 50);
  };
  requestAnimationFrame(look);
}
