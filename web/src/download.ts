/**
 * Downloads a same-origin URL (a CSV export, a log file) without leaving the
 * page: the browser sends the session cookie, and the answer's
 * Content-Disposition names the file.
 */
export function download(url: string): void {
  const link = document.createElement('a')
  link.href = url
  link.download = ''
  link.rel = 'noopener'
  link.style.display = 'none'
  document.body.appendChild(link)
  link.click()
  link.remove()
}
