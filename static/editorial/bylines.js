/* Choosing an author on an authorship fills its position, affiliation and bio as published from
   the author's profile (commentaries.editorial.bylines), where they are empty or still hold what
   was filled in for an author chosen before. They stay editable. The server fills blank fields
   of a newly chosen author too, so a page without this script loses nothing. */
"use strict";
{
    const editors = new WeakMap(); // bio textarea -> its rich-text editor
    const filled = new WeakMap(); // field -> the value put there from a profile

    document.addEventListener("prose-editor:ready", (event) => {
        editors.set(event.detail.textarea, event.detail.editor);
    });

    function isBlank(value) {
        return !value.replace(/<\/?p>|<br\s*\/?>/g, "").trim();
    }

    function current(field) {
        const editor = editors.get(field);
        return editor ? editor.getHTML() : field.value;
    }

    function put(field, value) {
        const editor = editors.get(field);
        if (editor) {
            editor.commands.setContent(value);
            field.value = editor.getHTML();
        } else {
            field.value = value;
        }
        filled.set(field, current(field));
        field.dispatchEvent(new Event("input", {bubbles: true}));
        field.dispatchEvent(new Event("change", {bubbles: true}));
    }

    async function fill(select) {
        const chosen = select.value;
        const row = select.closest(".inline-related");
        if (!chosen || !row || !select.dataset.profileUrl) {
            return;
        }
        const url = `${select.dataset.profileUrl}?${new URLSearchParams({author: chosen})}`;
        let profile;
        try {
            const response = await fetch(url, {
                headers: {Accept: "application/json"},
                credentials: "same-origin",
            });
            if (!response.ok) {
                return;
            }
            profile = await response.json();
        } catch {
            return;
        }
        if (select.value !== chosen) {
            return; // another author was chosen meanwhile
        }
        const prefix = select.name.replace(/-author$/, "");
        for (const [name, value] of Object.entries(profile)) {
            const field = row.querySelector(`[name="${prefix}-${name}"]`);
            const now = field ? current(field) : "";
            if (field && value && (isBlank(now) || now === filled.get(field))) {
                put(field, value);
            }
        }
    }

    function start() {
        // The author box is a Select2 widget, which tells of a choice through jQuery's events.
        window.django.jQuery(document).on("change", "select[data-profile-url]", (event) => {
            fill(event.target);
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}
