// The picture picker: opened by the body editor's figure dialog ("Browse..."), it hands the
// chosen picture's address, alt text and token back through the CKEditor-style callback
// django-prose-editor listens on, then closes. Loaded in the head without defer: the listener is
// on the document before the first button is parsed, so an early click is not lost.
"use strict";
document.addEventListener("click", (event) => {
  const button = event.target.closest(".picker-choose");
  if (!button) return;
  const number = new URLSearchParams(location.search).get("CKEditorFuncNum");
  const opener = window.opener;
  if (!opener || !opener.CKEDITOR || !number) return;
  opener.CKEDITOR.tools.callFunction(number, button.dataset.src, {
    id: button.dataset.token,
    alternative_text: button.dataset.alt,
  });
  window.close();
});
