import { useI18n } from 'vue-i18n'
import { ApiError } from '../api/api'
import { contactListsApi, type ContactList } from '../api/contactLists'
import { useAsk } from '../composables/useAsk'
import { useNotify } from '../composables/useNotify'

/** The questions asked before a list is deleted; each answers whether to go on. */
export interface DeleteListQuestions {
  /** The list holds no contacts. */
  empty(list: ContactList): Promise<boolean>
  /** The list holds count contacts, which would be deleted with it. */
  withContacts(list: ContactList, count: number): Promise<boolean>
}

/**
 * Deletes a contact list the way an admin expects: it first reads how many
 * contacts the list holds now, asks the question that says so, and lets the
 * server delete contacts only when that question said they would go. Should
 * contacts arrive between the question and the deletion, the server refuses
 * (409 list.not_empty) and the admin is asked again with the new count.
 * Answers whether the list is gone; the server's other refusals (the default
 * list of an account, a running import) are thrown for the page to show.
 */
export async function deleteContactList(list: ContactList, ask: DeleteListQuestions): Promise<boolean> {
  for (;;) {
    const { contact_count: count } = await contactListsApi.get(list.id)
    if (!(await (count > 0 ? ask.withContacts(list, count) : ask.empty(list)))) return false
    try {
      await contactListsApi.remove(list.id, { deleteContacts: count > 0 })
      return true
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'list.not_empty') throw err
    }
  }
}

/**
 * deleteContactList with the console's dialogs and toasts: answers whether
 * the list was deleted (a refusal has been shown).
 */
export function useDeleteContactList() {
  const { t, locale } = useI18n()
  const ask = useAsk()
  const notify = useNotify()
  const questions: DeleteListQuestions = {
    empty: (list) =>
      ask({
        header: t('contactLists.deleteTitle'),
        message: t('contactLists.deleteQuestion', { name: list.name }),
        accept: t('common.delete'),
        cancel: t('common.cancel'),
        danger: true,
      }),
    withContacts: (list, count) =>
      ask({
        header: t('contactLists.deleteTitle'),
        message: t('contactLists.deleteWithContactsQuestion', { name: list.name, count: count.toLocaleString(locale.value) }, count),
        accept: t('contactLists.deleteWithContacts', { count: count.toLocaleString(locale.value) }, count),
        cancel: t('common.cancel'),
        danger: true,
      }),
  }
  return async (list: ContactList): Promise<boolean> => {
    try {
      if (!(await deleteContactList(list, questions))) return false
    } catch (err) {
      notify.failure(err)
      return false
    }
    notify.success(t('contactLists.deleted', { name: list.name }))
    return true
  }
}
