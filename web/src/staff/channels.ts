import type { QueueChannel } from '../api/types'

/** The icon shown with a channel's name. */
export function channelIcon(channel: QueueChannel | string): string {
  switch (channel) {
    case 'voice':
      return 'pi pi-phone'
    case 'chat':
      return 'pi pi-comments'
    case 'whatsapp':
      return 'pi pi-whatsapp'
    case 'sms':
      return 'pi pi-mobile'
    case 'email':
      return 'pi pi-envelope'
    case 'openchannel':
      return 'pi pi-share-alt'
    case 'fax':
      return 'pi pi-print'
    default:
      return 'pi pi-inbox'
  }
}
