import { computed } from 'vue'
import { useAuthStore } from '../stores/auth'

/**
 * What the signed-in person may do in one area of the admin console. Pages
 * used to spell the same three checks out each time; this keeps the area
 * name in one place per page.
 */
export function usePermissions(area: string) {
  const auth = useAuthStore()
  return {
    canRead: computed(() => auth.can(area, 'read')),
    canEdit: computed(() => auth.can(area, 'edit')),
    canDelete: computed(() => auth.can(area, 'delete')),
  }
}
