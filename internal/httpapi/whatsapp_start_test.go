package httpapi_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/app/apptest"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

const newNumber = "+393470001111" // a number that never wrote

// start posts POST /whatsapp/outbound for c.
func (ob *outboundSite) start(c *apptest.Client, number string, first map[string]any) *apptest.Response {
	body := map[string]any{"account_id": ob.account["id"], "number": number}
	for k, v := range first {
		body[k] = v
	}
	return c.Do("POST", "/api/v1/whatsapp/outbound", body)
}

// agentTemplate makes a template available to agents and returns its id.
func (ob *outboundSite) agentTemplate(t *testing.T) any {
	t.Helper()
	return ob.admin.Do("POST", "/api/v1/whatsapp-accounts/"+idOf(ob.account)+"/templates", map[string]any{"name": "recontact",
		"language": "it", "body": "Ciao {{1}}, possiamo aiutarti?", "available_for_agents": true}).Expect(t, 201).Map(t)["id"]
}

func TestWhatsAppStartWithinTheWindowGivesTheAgentTheConversationAndSendsTheText(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ob := newOutboundSite(t, d)
		old := ob.marioOwnsTheConversation(t)
		ob.mario.Do("POST", "/api/v1/interactions/"+old+"/close", map[string]any{}).Expect(t, 200)

		// The customer wrote an hour ago at most: free text.
		got := ob.start(ob.mario, waCustomer, map[string]any{"body": "Did the parcel arrive?"}).Expect(t, 201).Map(t)
		it, _ := got["interaction"].(map[string]any)
		if it == nil || it["status"] != "open" || idOf(map[string]any{"id": it["owner_id"]}) != ob.marioID ||
			it["queue_id"] != ob.queueID || it["account_id"] != ob.account["id"] || it["channel"] != "whatsapp" {
			t.Fatalf("started %v", got)
		}
		id := idOf(it)
		if same := ob.mario.Do("GET", "/api/v1/interactions/"+id, nil).Expect(t, 200).Map(t); same["id"] != it["id"] ||
			same["owner_id"] != it["owner_id"] {
			t.Fatalf("GET gives %v, the start %v", same, it)
		}
		ob.deliveryIs(t, id, "Did the parcel arrive?", "sent")
		sent := ob.graph.sends()
		last := sent[len(sent)-1]
		if last["type"] != "text" || last["to"] != strings.TrimPrefix(waCustomer, "+") && last["to"] != waCustomer {
			t.Fatalf("sent %v", last)
		}

		// It is among his interactions, and counts against his capacity of 1:
		// a new customer is not offered to him.
		mine := listOf(t, ob.mario.Do("GET", "/api/v1/me/interactions", nil).Expect(t, 200).Map(t))
		if len(mine) != 1 || idOf(mine[0].(map[string]any)) != id {
			t.Fatalf("his interactions %v", mine)
		}
		if status := ob.meta(t, metaMessages(metaText("wamid.OTHER", "393479990000", "Hi")), waAppSecret); status != http.StatusOK {
			t.Fatalf("webhook: %d", status)
		}
		desk := ob.mario.Do("GET", "/api/v1/me/desk", nil).Expect(t, 200).Map(t)
		routing := desk["routing"].(map[string]any)
		if offers := routing["offers"].([]any); len(offers) != 0 {
			t.Fatalf("offered %v beyond his capacity", offers)
		}
		if load := routing["load"].(map[string]any)["whatsapp"].(map[string]any); load["owned"] != float64(1) {
			t.Fatalf("load %v", load)
		}

		// A restart keeps him the owner; he can still close it.
		restarted := ob.site.Restart(t)
		mario := restarted.Client(t)
		mario.Login("mario", "Agent-Pass22")
		if after := mario.Do("GET", "/api/v1/interactions/"+id, nil).Expect(t, 200).Map(t); after["owner_id"] != it["owner_id"] {
			t.Fatalf("after the restart %v", after)
		}
		mario.Do("POST", "/api/v1/interactions/"+id+"/close", map[string]any{}).Expect(t, 200)
	})
}

func TestWhatsAppStartAppliesTheCheckScenarios(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ob := newOutboundSite(t, d)
		tpl := ob.agentTemplate(t)
		ob.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)

		// Bad input names the field.
		f := fields(t, ob.start(ob.mario, "call me", map[string]any{"body": "Hi", "template_id": tpl}).Expect(t, 400))
		if f["number"] == nil || f["body"] == nil {
			t.Fatalf("fields %v", f)
		}
		// A number that never wrote: no free text, a template is required.
		f = fields(t, ob.start(ob.mario, newNumber, nil).Expect(t, 400))
		if f["template_id"] == nil {
			t.Fatalf("fields %v", f)
		}
		if r := ob.start(ob.mario, newNumber, map[string]any{"body": "Hi"}).Expect(t, 409).Map(t); r["code"] != "whatsapp.window_expired" {
			t.Fatalf("refusal %v", r)
		}
		f = fields(t, ob.start(ob.mario, newNumber, map[string]any{"template_id": tpl, "parameters": []string{}}).Expect(t, 400))
		if f["parameters"] == nil {
			t.Fatalf("fields %v", f)
		}
		if len(ob.whatsappInteractions(t)) != 0 {
			t.Fatal("a refused start stored an interaction")
		}

		// With a template it starts, and the template goes out.
		it := ob.start(ob.mario, "+39 347 000 1111", map[string]any{"template_id": tpl, "parameters": []string{"Anna"}}).
			Expect(t, 201).Map(t)["interaction"].(map[string]any)
		id := idOf(it)
		ob.deliveryIs(t, id, "Ciao Anna, possiamo aiutarti?", "sent")
		sent := ob.graph.sends()
		if tp, _ := sent[len(sent)-1]["template"].(map[string]any); sent[len(sent)-1]["type"] != "template" || tp["name"] != "recontact" {
			t.Fatalf("sent %v", sent)
		}

		// Giulia is told Mario has him; Mario is told it is his already.
		ob.giulia.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		r := ob.start(ob.giulia, newNumber, map[string]any{"template_id": tpl, "parameters": []string{"Anna"}}).Expect(t, 409).Map(t)
		if !strings.Contains(r["message"].(string), "Agent mario") {
			t.Fatalf("busy %v", r)
		}
		if r := ob.start(ob.mario, newNumber, map[string]any{"template_id": tpl, "parameters": []string{"Anna"}}).
			Expect(t, 409).Map(t); !strings.Contains(r["message"].(string), "already have an open conversation") {
			t.Fatalf("own %v", r)
		}
		if n := len(ob.whatsappInteractions(t)); n != 1 {
			t.Fatalf("%d interactions, want 1", n)
		}

		// An account outside his queues is refused, and not listed for him.
		if accounts := listOf(t, ob.giulia.Do("GET", "/api/v1/me/whatsapp-accounts", nil).Expect(t, 200).Map(t)); len(accounts) != 1 ||
			accounts[0].(map[string]any)["id"] != ob.account["id"] || accounts[0].(map[string]any)["webhook_key"] != nil {
			t.Fatalf("her accounts %v", accounts)
		}
		ob.admin.Do("PUT", "/api/v1/agents/"+ob.giuID+"/queues", map[string]any{"queue_ids": []any{}}).Expect(t, 200)
		ob.start(ob.giulia, "+393470002222", map[string]any{"template_id": tpl, "parameters": []string{"Bo"}}).Expect(t, 403)
		if accounts := listOf(t, ob.giulia.Do("GET", "/api/v1/me/whatsapp-accounts", nil).Expect(t, 200).Map(t)); len(accounts) != 0 {
			t.Fatalf("her accounts outside her queues %v", accounts)
		}
		ob.admin.Do("GET", "/api/v1/me/whatsapp-accounts", nil).Expect(t, 403)
	})
}

func TestWhatsAppTwoAgentsStartingWithOneNumberMakeOneConversation(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ob := newOutboundSite(t, d)
		tpl := ob.agentTemplate(t)
		ob.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		ob.giulia.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		for round, number := range []string{"+393470000001", "+393470000002", "+393470000003"} {
			var wg sync.WaitGroup
			statuses := make([]int, 2)
			for i, c := range []*apptest.Client{ob.mario, ob.giulia} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					statuses[i] = ob.start(c, number, map[string]any{"template_id": tpl, "parameters": []string{"Anna"}}).Status
				}()
			}
			wg.Wait()
			if !(statuses[0] == 201 && statuses[1] == 409 || statuses[0] == 409 && statuses[1] == 201) {
				t.Fatalf("round %d: statuses %v, want one 201 and one 409", round, statuses)
			}
			if n := len(ob.whatsappInteractions(t)); n != round+1 {
				t.Fatalf("round %d: %d interactions", round, n)
			}
		}
	})
}

// An agent writes from the accounts of the queues he works now: a queue
// that comes only from the profile he chose at login counts, and stops
// counting when he logs out.
func TestWhatsAppAgentWritesFromTheQueuesOfTheProfileHeChose(t *testing.T) {
	ob := newOutboundSite(t, store.SQLite)
	tpl := ob.agentTemplate(t)
	ob.admin.Do("PUT", "/api/v1/agents/"+ob.giuID+"/queues", map[string]any{"queue_ids": []any{}}).Expect(t, 200)
	prof := ob.admin.Do("POST", "/api/v1/agent-profiles", map[string]any{"name": "WhatsApp evening", "enabled": true,
		"agent_ids": []any{atoi(ob.giuID)}, "queues": []any{map[string]any{"queue_id": ob.queueID}}}).Expect(t, 201).Map(t)

	ob.giulia.Do("POST", "/api/v1/me/login", map[string]any{"profile_id": nil}).Expect(t, 200)
	if accounts := listOf(t, ob.giulia.Do("GET", "/api/v1/me/whatsapp-accounts", nil).Expect(t, 200).Map(t)); len(accounts) != 0 {
		t.Fatalf("accounts without the profile %v", accounts)
	}
	ob.start(ob.giulia, "+393470002222", map[string]any{"template_id": tpl, "parameters": []string{"Bo"}}).Expect(t, 403)

	ob.giulia.Do("POST", "/api/v1/me/profile", map[string]any{"profile_id": prof["id"]}).Expect(t, 200)
	if accounts := listOf(t, ob.giulia.Do("GET", "/api/v1/me/whatsapp-accounts", nil).Expect(t, 200).Map(t)); len(accounts) != 1 ||
		accounts[0].(map[string]any)["id"] != ob.account["id"] {
		t.Fatalf("accounts with the profile %v", accounts)
	}
	ob.start(ob.giulia, "+393470002222", map[string]any{"template_id": tpl, "parameters": []string{"Bo"}}).Expect(t, 201)

	ob.giulia.Do("POST", "/api/v1/me/logout", nil).Expect(t, 200)
	if accounts := listOf(t, ob.giulia.Do("GET", "/api/v1/me/whatsapp-accounts", nil).Expect(t, 200).Map(t)); len(accounts) != 0 {
		t.Fatalf("accounts after logging out %v", accounts)
	}
}
