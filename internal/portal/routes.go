package portal

import "net/http"

// uploadRoute is the portal's one route that takes file uploads.
const uploadRoute = "POST /t/{id}/files"

// UploadRoutes are the portal's routes that take file uploads, for the server's limits on
// slow request bodies, which give uploads more time as long as data keeps arriving.
var UploadRoutes = []string{uploadRoute}

// routes lists every route of the portal. Pages under /p/, /t/, /d/, /f/ and /ff/ send a
// signed-out visitor to the sign-in page whatever the ID, so nothing about an object leaks
// before sign-in; once signed in, a hidden object answers exactly like a missing one.
func (p *Portal) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", health)
	mux.HandleFunc("GET /static/{name}", p.serveStatic)

	mux.HandleFunc("GET /signin", p.signInPage)
	mux.HandleFunc("POST /signin", p.signIn)
	mux.HandleFunc("POST /signout", p.signOut)
	mux.HandleFunc("GET /invite/{token}", p.linkPage(invite))
	mux.HandleFunc("POST /invite/{token}", p.redeemLink(invite))
	mux.HandleFunc("GET /reset/{token}", p.linkPage(reset))
	mux.HandleFunc("POST /reset/{token}", p.redeemLink(reset))
	mux.HandleFunc("GET /forgot", p.forgotPage)
	mux.HandleFunc("POST /forgot", p.forgot)

	mux.HandleFunc("GET /account", p.signedIn(p.accountPage))
	mux.HandleFunc("POST /account/password", p.signedIn(p.changePassword))
	mux.HandleFunc("POST /account/sessions", p.signedIn(p.signOutOthers))

	mux.HandleFunc("GET /{$}", p.signedIn(p.home))
	mux.HandleFunc("GET /search", p.shortQuery(p.signedIn(p.searchResults)))
	mux.HandleFunc("GET /p/{id}", p.signedIn(p.project))
	mux.HandleFunc("GET /p/{id}/events", p.signedIn(p.events))
	mux.HandleFunc("GET /t/{id}", p.signedIn(p.task))
	mux.HandleFunc("POST /t/{id}/complete", p.signedIn(p.setDone(true)))
	mux.HandleFunc("POST /t/{id}/reopen", p.signedIn(p.setDone(false)))
	mux.HandleFunc("POST /t/{id}/comments", p.signedIn(p.comment))
	mux.HandleFunc(uploadRoute, p.signedIn(p.upload))
	mux.HandleFunc("GET /f/{id}", p.signedIn(p.download))
	mux.HandleFunc("GET /ff/{id}", p.signedIn(p.downloadFolderFile))
	mux.HandleFunc("GET /d/{id}", p.signedIn(p.doc))
	mux.HandleFunc("POST /d/{id}/comments", p.signedIn(p.docComment))

	mux.HandleFunc("/", p.notFound)
}

// health answers the load balancer's and the operator's liveness probe.
func health(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok"))
}
