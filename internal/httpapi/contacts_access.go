package httpapi

import (
	"net/http"
	"slices"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// Who may do what in the Contact Manager: admins everything in every
// list; a user what his profile's contacts rights say (view and read:
// read; edit: also create, change, merge, copy, import; delete) in his
// profile's lists; an agent what each list he was given allows (read or
// edit; agents never delete). A contact an agent managed (edited, or
// served one of its interactions: his My Contacts) stays readable to him.

// contactsAccess is the rule of a Contact Manager route: admins, users
// with the contacts right, and agents — whose lists the handler checks.
func contactsAccess(right staff.Right) Access {
	return Access{Name: "contacts:" + string(right) + "|agent", Allow: func(c *Caller) bool {
		return c.IsAgent() || c.Rights.Has(staff.SectionContacts, right)
	}}
}

// contactScope is what the caller may do with each list.
type contactScope struct {
	all   bool                      // every list, to edit (admins)
	lists map[int64]contacts.Access // else these lists
}

// access is what the caller may do with a list's contacts.
func (cs *contactScope) access(listID int64) contacts.Access {
	if cs.all {
		return contacts.Edit
	}
	return cs.lists[listID]
}

// ids lists the lists the caller may read (edit: may edit), sorted.
func (cs *contactScope) ids(edit bool) []int64 {
	var out []int64
	for id, a := range cs.lists {
		if a.CanEdit() || (!edit && a.CanRead()) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// contactScope works out what the caller may do with each list.
func (s *Server) contactScope(r *http.Request) (*contactScope, error) {
	c := callerFrom(r.Context())
	switch {
	case c.IsAdmin():
		return &contactScope{all: true}, nil
	case c.IsAgent():
		lists, err := s.db.AgentLists(r.Context(), c.ID())
		if err != nil {
			return nil, err
		}
		return &contactScope{lists: lists}, nil
	}
	cs := &contactScope{lists: map[int64]contacts.Access{}}
	access := contacts.NoAccess
	switch {
	case c.Rights.Has(staff.SectionContacts, staff.Edit):
		access = contacts.Edit
	case c.Rights.Has(staff.SectionContacts, staff.View), c.Rights.Has(staff.SectionContacts, staff.Read):
		access = contacts.Read
	}
	if access == contacts.NoAccess {
		return cs, nil
	}
	lists, err := s.db.Lists(r.Context(), listScope(c))
	if err != nil {
		return nil, err
	}
	for _, l := range lists {
		cs.lists[l.ID] = access
	}
	return cs, nil
}

// contactFor loads the contact of the path's id if the caller may do what
// need says with it: read (its list, or he managed it) or edit (its list).
func (s *Server) contactFor(r *http.Request, need contacts.Access) (*contacts.Contact, *contactScope, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	return s.contactByID(r, id, need)
}

func (s *Server) contactByID(r *http.Request, id int64, need contacts.Access) (*contacts.Contact, *contactScope, error) {
	c, err := s.db.Contact(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	cs, err := s.contactScope(r)
	if err != nil {
		return nil, nil, err
	}
	a := cs.access(c.ListID)
	if need == contacts.Edit && !a.CanEdit() {
		return nil, nil, apperr.New(apperr.Forbidden, "contact.not_editable")
	}
	if !a.CanRead() {
		managed, err := s.db.Managed(r.Context(), callerFrom(r.Context()).ID(), c.ID)
		if err != nil {
			return nil, nil, err
		}
		if !managed {
			return nil, nil, apperr.New(apperr.Forbidden, "contact.not_yours")
		}
	}
	return c, cs, nil
}

// phones is the site's phone number rules.
func (s *Server) phones() contacts.Phones { return contacts.Phones{Region: s.cfg.PhoneRegion} }

// editableList checks the caller may create contacts in a list, named by
// field in errors.
func editableList(cs *contactScope, listID int64, field string) error {
	if !cs.access(listID).CanEdit() {
		return apperr.Field(field, "list.not_editable")
	}
	return nil
}

// linkContact links a new inbound interaction to its contact, found by
// what the channel calls the customer (his contact key, and the emails
// and phone numbers he gave), or created when his entry point's
// contact-manager trigger is on (store.LinkContact).
func (s *Server) linkContact(key, name string, emails, phones []string) func(interactionID int64) store.TxFunc {
	return store.LinkContact(func(channel string) contacts.Subject {
		return s.phones().Subject(channel, key, name, emails, phones)
	})
}
