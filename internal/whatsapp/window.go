package whatsapp

import "time"

// The customer service window: a business may write freely to a customer
// only within 24 hours of his last message on that number; after that,
// only templates, until he writes again. Time comes from the caller (the
// injected clock).

// ServiceWindow is how long a customer's message keeps the window open.
const ServiceWindow = 24 * time.Hour

// WindowExpiresAt is when the window opened by the customer's last
// message closes (nil when he never wrote: it is closed).
func WindowExpiresAt(lastInbound *time.Time) *time.Time {
	if lastInbound == nil {
		return nil
	}
	at := lastInbound.Add(ServiceWindow).UTC()
	return &at
}

// WindowOpen reports whether free text may be sent at now.
func WindowOpen(lastInbound *time.Time, now time.Time) bool {
	exp := WindowExpiresAt(lastInbound)
	return exp != nil && now.Before(*exp)
}
