/* Ordered inlines (commentaries.editorial.ordering): each row gets a drag handle (mouse, pen or
   touch) and Move up / Move down buttons (keyboard). Whenever a row moves, the hidden position
   inputs are numbered 1, 2, 3... in the order shown, and a status line says where it went.

   Django's inlines.js renumbers the rows' form prefixes in page order when an unsaved row is
   removed; saved rows must keep the first numbers (the formset's initial forms), so the prefixes
   are put right again after a removal and before the form is sent. */
"use strict";
{
    const ORDERED = "fieldset.ordered-inline";

    function groups() {
        return [...document.querySelectorAll(".js-inline-admin-formset")].filter(
            (group) => group.querySelector(ORDERED)
        );
    }

    function prefixOf(group) {
        return JSON.parse(group.dataset.inlineFormset).options.prefix;
    }

    // The group's rows in page order, the empty template left out.
    function rows(group) {
        const pattern = new RegExp(`^${prefixOf(group)}-\\d+$`);
        return [...group.querySelectorAll("tr.form-row, div.inline-related")].filter((row) =>
            pattern.test(row.id)
        );
    }

    function rowOf(element) {
        return element.closest("tr.form-row, div.inline-related");
    }

    function button(className, label, text) {
        const element = document.createElement("button");
        element.type = "button";
        element.className = className;
        element.title = label;
        element.setAttribute("aria-label", label);
        element.textContent = text;
        return element;
    }

    function addControls(row) {
        if (row.querySelector(".order-controls")) {
            return;
        }
        const controls = document.createElement("span");
        controls.className = "order-controls";
        const handle = document.createElement("span");
        handle.className = "order-handle";
        handle.title = "Drag to move";
        handle.setAttribute("aria-hidden", "true");
        handle.textContent = "\u2807\u2807";
        controls.append(
            handle,
            button("order-up", "Move up", "\u2191"),
            button("order-down", "Move down", "\u2193")
        );
        const place = row.querySelector("td.original") || row.querySelector("h3");
        if (place) {
            place.prepend(controls);
        }
    }

    function announce(group, message) {
        let status = group.querySelector(".order-status");
        if (!status) {
            status = document.createElement("p");
            status.className = "order-status";
            status.setAttribute("role", "status");
            group.querySelector(ORDERED).append(status);
        }
        status.textContent = message;
    }

    function renumber(group) {
        rows(group).forEach((row, index) => {
            const position = row.querySelector("[data-order-position]");
            if (position) {
                position.value = String(index + 1);
            }
        });
    }

    // A tabular row's errors sit in a row of their own just before it, and move with it.
    function errorsOf(row) {
        const previous = row.previousElementSibling;
        return previous && previous.matches("tr.row-form-errors") ? previous : null;
    }

    function placeBefore(row, other) {
        const errors = errorsOf(row);
        (errorsOf(other) || other).before(row);
        if (errors) {
            row.before(errors);
        }
    }

    function placeAfter(row, other) {
        const errors = errorsOf(row);
        other.after(row);
        if (errors) {
            row.before(errors);
        }
    }

    function moved(group, row) {
        const all = rows(group);
        renumber(group);
        announce(group, `Moved to position ${all.indexOf(row) + 1} of ${all.length}.`);
    }

    function step(row, offset) {
        const group = row.closest(".js-inline-admin-formset");
        const all = rows(group);
        const other = all[all.indexOf(row) + offset];
        if (!other) {
            announce(group, offset < 0 ? "Already first." : "Already last.");
            return;
        }
        if (offset < 0) {
            placeBefore(row, other);
        } else {
            placeAfter(row, other);
        }
        moved(group, row);
    }

    // Form prefixes: saved rows first (in page order), then the new ones.
    function reindex(group) {
        const prefix = prefixOf(group);
        const all = rows(group);
        const isSaved = (row) => {
            const pk = row.querySelector(`input[name^="${prefix}-"][name$="-id"]`);
            return Boolean(pk && pk.value);
        };
        const ordered = [...all.filter(isSaved), ...all.filter((row) => !isSaved(row))];
        const pattern = new RegExp(`(${prefix}-(\\d+|__prefix__))`);
        ordered.forEach((row, index) => {
            const replacement = `${prefix}-${index}`;
            row.id = replacement;
            for (const element of row.querySelectorAll("[id], [name], [for], [aria-describedby]")) {
                for (const attribute of ["id", "name", "for", "aria-describedby"]) {
                    const value = element.getAttribute(attribute);
                    if (value) {
                        element.setAttribute(attribute, value.replace(pattern, replacement));
                    }
                }
            }
        });
    }

    document.addEventListener("click", (event) => {
        const control = event.target.closest(".order-up, .order-down");
        const row = control && rowOf(control);
        if (row && !row.classList.contains("empty-form")) {
            step(row, control.classList.contains("order-up") ? -1 : 1);
            control.focus();
        }
    });

    document.addEventListener("pointerdown", (event) => {
        const handle = event.target.closest(".order-handle");
        const row = handle && rowOf(handle);
        if (!row || event.button !== 0 || row.classList.contains("empty-form")) {
            return;
        }
        event.preventDefault();
        const group = row.closest(".js-inline-admin-formset");
        const before = rows(group).indexOf(row);
        // Listened for on the document: moving the row in the page ends any pointer capture.
        row.classList.add("order-dragging");
        document.body.classList.add("order-dragging-page");

        const follow = (move) => {
            if (move.pointerId !== event.pointerId) {
                return;
            }
            const others = rows(group).filter((other) => other !== row);
            const next = others.find((other) => {
                const box = other.getBoundingClientRect();
                return move.clientY < box.top + box.height / 2;
            });
            if (next && rows(group)[rows(group).indexOf(next) - 1] !== row) {
                placeBefore(row, next);
            } else if (!next && others.length && rows(group).at(-1) !== row) {
                placeAfter(row, others.at(-1));
            }
            if (move.clientY < 40) {
                window.scrollBy(0, -16);
            } else if (move.clientY > window.innerHeight - 40) {
                window.scrollBy(0, 16);
            }
        };
        const finish = (end) => {
            if (end.pointerId !== event.pointerId) {
                return;
            }
            document.removeEventListener("pointermove", follow);
            document.removeEventListener("pointerup", finish);
            document.removeEventListener("pointercancel", finish);
            row.classList.remove("order-dragging");
            document.body.classList.remove("order-dragging-page");
            if (rows(group).indexOf(row) !== before) {
                moved(group, row);
            }
        };
        document.addEventListener("pointermove", follow);
        document.addEventListener("pointerup", finish);
        document.addEventListener("pointercancel", finish);
    });

    document.addEventListener("formset:added", (event) => {
        const row = event.target.closest && rowOf(event.target);
        const group = row && row.closest(".js-inline-admin-formset");
        if (group && group.querySelector(ORDERED)) {
            addControls(row);
        }
    });

    document.addEventListener("formset:removed", () => {
        // inlines.js renumbers the prefixes right after this event; put them right after it.
        setTimeout(() => groups().forEach(reindex));
    });

    document.addEventListener(
        "submit",
        () => {
            groups().forEach(reindex);
        },
        true
    );

    function start() {
        for (const group of groups()) {
            for (const row of group.querySelectorAll("tr.form-row, div.inline-related")) {
                if (rowOf(row) === row && row.id.startsWith(`${prefixOf(group)}-`)) {
                    addControls(row);
                }
            }
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}
