package bootstrap

import (
	"context"
	"fmt"

	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// seedDemoContacts adds the demo's Contact Manager: a "Customers" list
// with custom fields of every type and a dozen contacts, and a
// "Prospects" list to copy into. The first demo agent may edit the
// customers, the others only read them, so both desktops can be tried.
func seedDemoContacts(ctx context.Context, db *store.DB, agentIDs []int64) error {
	customers, err := db.SaveList(ctx, &staff.List{Name: "Customers", Description: "Customers of the demo shop"}, 0)
	if err != nil {
		return fmt.Errorf("bootstrap: demo list: %w", err)
	}
	if _, err := db.SaveList(ctx, &staff.List{Name: "Prospects", Description: "People who asked about an offer"}, 0); err != nil {
		return fmt.Errorf("bootstrap: demo list: %w", err)
	}
	var defs []contacts.Field
	for n, f := range []contacts.Field{
		{Key: "customer_code", Label: "Customer code", Type: contacts.TypeText},
		{Key: "tier", Label: "Tier", Type: contacts.TypeSelect, Options: []string{"Gold", "Silver", "Bronze"}},
		{Key: "customer_since", Label: "Customer since", Type: contacts.TypeDate},
		{Key: "orders", Label: "Orders", Type: contacts.TypeNumber},
		{Key: "newsletter", Label: "Newsletter", Type: contacts.TypeCheckbox},
	} {
		f.ListID, f.Position = customers.ID, n
		saved, err := db.SaveListField(ctx, &f, 0)
		if err != nil {
			return fmt.Errorf("bootstrap: demo list field: %w", err)
		}
		defs = append(defs, *saved)
	}
	for n, id := range agentIDs {
		access := contacts.Read
		if n == 0 {
			access = contacts.Edit
		}
		if err := db.SetListAgent(ctx, customers.ID, id, access, 0); err != nil {
			return fmt.Errorf("bootstrap: demo list agent: %w", err)
		}
	}
	phones := contacts.Phones{Region: "IT"}
	for n, p := range demoPeople {
		first, last, company, phone, email, tier := p[0], p[1], p[2], p[3], p[4], p[5]
		c := &contacts.Contact{ListID: customers.ID, Fields: map[string]any{}, Identities: []contacts.Identity{}}
		in := contacts.Input{FirstName: &first, LastName: &last, Company: &company, Phone: &phone, Email: &email,
			Fields: map[string]any{"customer_code": fmt.Sprintf("C-%04d", 1001+n), "tier": tier,
				"customer_since": fmt.Sprintf("20%02d-%02d-15", 18+n%7, 1+n%12), "orders": float64(3 * (n + 1)),
				"newsletter": n%2 == 0}}
		values, err := phones.Edit(c, in, defs)
		if err != nil {
			return fmt.Errorf("bootstrap: demo contact %s %s: %w", first, last, err)
		}
		if _, err := db.SaveContact(ctx, store.ContactWrite{Contact: c, Values: values}, 0); err != nil {
			return fmt.Errorf("bootstrap: demo contact: %w", err)
		}
	}
	return nil
}

// demoPeople: first name, last name, company, phone, email, tier.
var demoPeople = [][6]string{
	{"Anna", "Ferrari", "Ferrari Arredamenti", "+39 333 100 2001", "anna.ferrari@example.com", "Gold"},
	{"Marco", "Esposito", "", "+39 333 100 2002", "marco.esposito@example.com", "Silver"},
	{"Chiara", "Romano", "Studio Romano", "+39 333 100 2003", "chiara.romano@example.com", "Bronze"},
	{"Paolo", "Colombo", "Colombo Trasporti", "+39 333 100 2004", "paolo.colombo@example.com", "Gold"},
	{"Elena", "Ricci", "", "+39 333 100 2005", "elena.ricci@example.com", "Silver"},
	{"Davide", "Marino", "Marino & Figli", "+39 333 100 2006", "davide.marino@example.com", "Bronze"},
	{"Sofia", "Greco", "", "+39 333 100 2007", "sofia.greco@example.com", "Silver"},
	{"Matteo", "Bruno", "Bruno Caffè", "+39 333 100 2008", "matteo.bruno@example.com", "Gold"},
	{"Giorgia", "Gallo", "", "+39 333 100 2009", "giorgia.gallo@example.com", "Bronze"},
	{"Luca", "Conti", "Conti Software", "+39 333 100 2010", "luca.conti@example.com", "Silver"},
	{"Francesca", "De Luca", "", "+39 333 100 2011", "francesca.deluca@example.com", "Gold"},
	{"Andrea", "Mancini", "Mancini Ottica", "+39 333 100 2012", "andrea.mancini@example.com", "Bronze"},
}
