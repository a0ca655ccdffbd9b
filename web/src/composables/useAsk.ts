import { useConfirm } from 'primevue/useconfirm'

export interface AskOptions {
  header: string
  message: string
  accept: string
  danger?: boolean
  icon?: string
}

/** The confirm dialog as a promise: true when accepted, false when declined or closed. */
export function useAsk() {
  const confirm = useConfirm()
  return (options: AskOptions & { cancel: string }): Promise<boolean> =>
    new Promise((resolve) => {
      confirm.require({
        header: options.header,
        message: options.message,
        icon: options.icon ?? 'pi pi-exclamation-triangle',
        acceptProps: { label: options.accept, severity: options.danger ? 'danger' : undefined },
        rejectProps: { label: options.cancel, severity: 'secondary', text: true },
        accept: () => resolve(true),
        reject: () => resolve(false),
        onHide: () => resolve(false),
      })
    })
}
