package httpapi

import "net/http"

// handlerFunc is an API handler; a returned error is written as JSON.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// route is one line of the route table.
type route struct {
	method  string
	path    string
	access  Access
	handler handlerFunc
}

// Routes lists every API route as "METHOD /path" with its access rule, for
// the OpenAPI check and the docs.
func (s *Server) Routes() []string {
	var out []string
	for _, rt := range s.table() {
		out = append(out, rt.method+" "+rt.path+"  ["+rt.access.Name+"]")
	}
	return out
}

// table is the route table: each route with the rule the server enforces.
func (s *Server) table() []route {
	s.routesOnce.Do(func() {
		s.routes = []route{
			{"GET", "/api/v1/openapi.yaml", Public, s.openAPI},
			{"GET", "/api/v1/auth/options", Public, s.authOptions},
			{"POST", "/api/v1/auth/login", Public, s.login},
			{"POST", "/api/v1/auth/password-reset", Public, s.requestReset},
			{"POST", "/api/v1/auth/password-reset/confirm", Public, s.confirmReset},
			{"GET", "/api/v1/auth/me", SignedIn, s.me},
			{"POST", "/api/v1/auth/logout", SignedIn, s.logout},
			{"POST", "/api/v1/auth/logout-everywhere", SignedIn, s.logoutEverywhere},
			{"POST", "/api/v1/auth/password", SignedIn, s.changePassword},

			{"GET", "/api/v1/settings/security", AdminOnly, s.getSecurity},
			{"PUT", "/api/v1/settings/security", AdminOnly, s.putSecurity},
			{"GET", "/api/v1/api-tokens", AdminOnly, s.listAPITokens},
			{"POST", "/api/v1/api-tokens", AdminOnly, s.createAPIToken},
			{"DELETE", "/api/v1/api-tokens/{id}", AdminOnly, s.revokeAPIToken},
			{"GET", "/api/v1/events", AdminOnly, s.listEvents},

			{"GET", "/api/v1/users", AdminOnly, s.listAccounts(userKinds)},
			{"POST", "/api/v1/users", AdminOnly, s.createAccount(userKinds)},
			{"GET", "/api/v1/users/{id}", AdminOnly, s.getAccount(userKinds)},
			{"POST", "/api/v1/users/{id}/unlock", AdminOnly, s.unlockAccount(userKinds)},
			{"PUT", "/api/v1/users/{id}/password", AdminOnly, s.setAccountPassword(userKinds)},
			{"GET", "/api/v1/agents", AdminOnly, s.listAccounts(agentKinds)},
			{"POST", "/api/v1/agents", AdminOnly, s.createAccount(agentKinds)},
			{"GET", "/api/v1/agents/{id}", AdminOnly, s.getAccount(agentKinds)},
			{"POST", "/api/v1/agents/{id}/unlock", AdminOnly, s.unlockAccount(agentKinds)},
			{"PUT", "/api/v1/agents/{id}/password", AdminOnly, s.setAccountPassword(agentKinds)},
		}
	})
	return s.routes
}
