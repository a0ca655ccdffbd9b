// The emoji picker (emoji-picker-element, a small web component), loaded
// only when the agent first opens it. Its emoji data ships with the app as
// a file of the build (no CDN at run time), in the agent's language so the
// search finds Italian names too; the component keeps it in IndexedDB after
// the first load.

import { Picker } from 'emoji-picker-element'
import type { EmojiClickEvent } from 'emoji-picker-element/shared'
import italian from 'emoji-picker-element/i18n/it'
import englishData from 'emoji-picker-element-data/en/emojibase/data.json?url'
import italianData from 'emoji-picker-element-data/it/cldr/data.json?url'

/** Makes a picker for a language ("en", "it"); onPick gets the emoji's text. */
export function createEmojiPicker(locale: string, onPick: (emoji: string) => void): HTMLElement {
  const it = locale.startsWith('it')
  const picker = new Picker({
    locale: it ? 'it' : 'en',
    dataSource: it ? italianData : englishData,
    ...(it ? { i18n: italian } : {}),
  })
  picker.addEventListener('emoji-click', (event: EmojiClickEvent) => {
    const unicode = event.detail.unicode
    if (unicode) onPick(unicode)
  })
  return picker
}
