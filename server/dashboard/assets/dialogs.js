// @ts-check
// Modal dialogs built on <dialog>: the browser traps focus inside, Escape cancels, and
// focus returns to where it was.
import { h, nextId } from "./dom.js";

/**
 * openDialog shows a modal with a title, a body and buttons; it resolves with the
 * value of the button pressed, or null when dismissed (Escape or Cancel).
 * `buttons` are { label, value, kind } with kind "primary" | "danger" | "secondary";
 * a button's `beforeClose(value)` may return false (or a Promise of false) to keep the
 * dialog open, e.g. while a form in the body is invalid.
 * @param {any} options
 */
export function openDialog({ title, body, buttons, initialFocus }) {
  return new Promise((resolve) => {
    const titleId = nextId("dialog-title");
    const previous = document.activeElement;
    const dialog = h("dialog", { class: "dialog", "aria-labelledby": titleId });
    const close = (/** @type {any} */ value) => {
      dialog.returnValue = value ?? "";
      dialog.close();
    };
    // While a button's beforeClose runs (a save in flight), every button reads as disabled
    // (aria-disabled, so focus stays put) and further clicks are ignored: one click, one request.
    let busy = false;
    const setBusy = (/** @type {any} */ on) => {
      busy = on;
      for (const el of buttonEls) on ? el.setAttribute("aria-disabled", "true") : el.removeAttribute("aria-disabled");
      on ? dialog.setAttribute("aria-busy", "true") : dialog.removeAttribute("aria-busy");
    };
    const buttonEls = buttons.map((/** @type {any} */ b) =>
      h(
        "button",
        {
          type: "button",
          class: `btn btn-${b.kind ?? "secondary"}`,
          onclick: async () => {
            if (busy) return;
            if (b.beforeClose) {
              setBusy(true);
              let keepOpen;
              try {
                keepOpen = (await b.beforeClose(b.value)) === false;
              } finally {
                setBusy(false);
              }
              if (keepOpen) return;
            }
            close(b.value);
          },
        },
        b.label,
      ),
    );
    dialog.append(
      h("h2", { id: titleId, class: "dialog-title" }, title),
      h("div", { class: "dialog-body" }, body),
      h("div", { class: "dialog-actions" }, buttonEls),
    );
    // Escape while a save is in flight would drop its outcome: it waits for the save.
    dialog.addEventListener("cancel", (/** @type {Event} */ event) => busy && event.preventDefault());
    // Back (or any change of page) closes the dialog as Cancel would: it never stays over another page.
    const onNavigate = () => dialog.open && close(null);
    window.addEventListener("popstate", onNavigate);
    window.addEventListener("hashchange", onNavigate);
    dialog.addEventListener("close", () => {
      window.removeEventListener("popstate", onNavigate);
      window.removeEventListener("hashchange", onNavigate);
      const value = dialog.returnValue || null;
      dialog.remove();
      if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
      resolve(value);
    });
    document.body.append(dialog);
    dialog.showModal();
    (initialFocus?.(dialog) ?? buttonEls[0])?.focus();
  });
}

/**
 * confirmAction asks for a yes/no confirmation; Cancel has the focus, so Enter alone never confirms.
 * @param {any} options
 */
export async function confirmAction({ title, body, confirmLabel, danger = false }) {
  const value = await openDialog({
    title,
    body,
    buttons: [
      { label: "Cancel", value: "cancel", kind: "secondary" },
      { label: confirmLabel, value: "confirm", kind: danger ? "danger" : "primary" },
    ],
  });
  return value === "confirm";
}
