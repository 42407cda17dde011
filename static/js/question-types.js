// Live word count for written answers. The server counts the words too (the page shows its
// count after saving), so without JavaScript nothing is lost.
"use strict";

(function () {
  const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

  function countWords(text) {
    const found = text.match(WORD);
    return found ? found.length : 0;
  }

  function describe(count, min, max) {
    let text = `${count} of ${max} words`;
    if (count > max) {
      text += ` — ${count - max} too many`;
    } else if (min && count < min) {
      text += ` — at least ${min} needed`;
    }
    return text;
  }

  document.addEventListener("DOMContentLoaded", function () {
    for (const box of document.querySelectorAll("textarea[data-max-words]")) {
      const output = document.getElementById(box.dataset.count);
      if (!output) {
        continue;
      }
      const min = Number(box.dataset.minWords) || 0;
      const max = Number(box.dataset.maxWords) || 0;
      const update = function () {
        output.textContent = describe(countWords(box.value), min, max);
      };
      box.addEventListener("input", update);
      update();
    }
  });
})();
