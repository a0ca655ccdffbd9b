package httpapi

import (
	"net/http"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// putInteractionContact says which contact an interaction is with, when the
// channel found none (or the wrong one): the owner agent from his desktop,
// or an admin or supervisor who may see the interaction. The caller must
// be able to read the contact. The interaction's contact key becomes one of
// the contact's identities (store.SetInteractionContact says when), so the
// customer's next interaction finds him by itself.
func (s *Server) putInteractionContact(w http.ResponseWriter, r *http.Request) error {
	it, err := s.interactionFor(r)
	if err != nil {
		return err
	}
	c := callerFrom(r.Context())
	if c.IsAgent() && (it.OwnerID == nil || *it.OwnerID != c.ID()) {
		return apperr.New(apperr.Forbidden, "interaction.not_owner")
	}
	var in struct {
		ContactID int64 `json:"contact_id"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.ContactID <= 0 {
		return apperr.Field("contact_id", "field.required")
	}
	if _, _, err := s.contactByID(r, in.ContactID, contacts.Read); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return apperr.Field("contact_id", "id.unknown", in.ContactID)
		}
		return err
	}
	keyIdentities := func(channel, key string) []contacts.Identity {
		return s.phones().Subject(channel, key, "", nil, nil).Identities
	}
	if err := s.db.SetInteractionContact(r.Context(), store.InteractionContact{InteractionID: it.ID, ContactID: in.ContactID,
		Identities: keyIdentities, ActorID: c.ID(), OwnerOnly: c.IsAgent()}); err != nil {
		return err
	}
	return s.writeInteraction(w, r, http.StatusOK, it.ID)
}
