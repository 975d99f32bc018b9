package portal

import (
	"testing"

	"portico/internal/domain"
	"portico/internal/service"
)

// Marker titles: every object a client may not see carries a unique string that must
// never appear in any response body.
const (
	alphaProject   = "ALPHA-PROJECT-a1c"
	alphaMilestone = "ALPHA-MILESTONE-b2d"
	alphaTask      = "ALPHA-TASK-c3e"
	alphaAgency    = "ALPHA-AGENCY-TASK-d4f"
	alphaComment   = "ALPHA-COMMENT-e5a"
	alphaFile      = "ALPHA-FILE-f6b.txt"
	alphaDoc       = "ALPHA-DOC-7a1"
	alphaDocBody   = "ALPHA-DOC-BODY-8b2"
	alphaDocCmt    = "ALPHA-DOC-COMMENT-9c3"
	alphaFolder    = "ALPHA-FOLDER-1d2/brief.txt"

	secretMilestone = "SECRET-MILESTONE-9d1"
	secretTask      = "SECRET-TASK-7f3"
	secretMSTask    = "SECRET-MSTASK-4a8"
	secretInternal  = "SECRET-INTERNAL-5b2"
	secretFile      = "SECRET-FILE-6c0.txt"
	secretMSFile    = "SECRET-MSFILE-1e9.txt"
	secretHiddenCmt = "SECRET-HIDDEN-TASK-COMMENT-0aa"
	secretDoc       = "SECRET-DOC-2d4"
	secretDocBody   = "SECRET-DOC-BODY-3e5"
	secretDocInt    = "SECRET-DOC-INTERNAL-4f6"
	secretDocCmt    = "SECRET-HIDDEN-DOC-COMMENT-5a7"
	secretFolder    = "SECRET-FOLDER-3e4.txt"
	secretFolderDel = "SECRET-FOLDER-DELETED-5f6.txt"

	betaProject = "BETA-PROJECT-2f7"
	betaTask    = "BETA-TASK-8e5"
	betaFile    = "BETA-FILE-3d4.txt"
	betaDoc     = "BETA-DOC-6b8"
	betaFolder  = "BETA-FOLDER-7a8.txt"

	memberEmail = "mia.member@client.test"
	otherEmail  = "otto.other@client.test"
	goneEmail   = "gina.gone@client.test"
)

// world is project Alpha (shared, with hidden parts) and project Beta, with a member of
// Alpha, a member of Beta only, and a client removed from Alpha. Each project has a shared
// doc; Alpha also has a hidden one.
type world struct {
	*fixture
	alpha, beta                   domain.ID
	msShared, msHidden            domain.ID
	tShared, tAgency, tHidden     domain.ID
	tInHiddenMS, tBeta            domain.ID
	fShared, fHidden, fInHiddenMS domain.ID
	fBeta                         domain.ID
	cVisible, cInternal           domain.ID
	dShared, dHidden, dBeta       domain.ID
	dcVisible, dcInternal         domain.ID
	// Folder files: shared, unshared, shared but deleted from the folder, and Beta's.
	ffShared, ffHidden, ffDeleted, ffBeta domain.ID

	member, other, gone                      domain.ID
	memberSession, otherSession, goneSession string
}

func newWorld(t testing.TB, cfg service.Config) *world {
	t.Helper()
	w := &world{fixture: newFixture(t, cfg)}
	staff := domain.Actor{Kind: domain.ActorStaff, ID: w.ownerID}

	w.alpha = w.project(t, alphaProject)
	w.msShared = w.milestone(t, w.alpha, alphaMilestone, true)
	w.msHidden = w.milestone(t, w.alpha, secretMilestone, false)
	w.tShared = w.task(t, w.alpha, w.msShared, alphaTask, true, domain.Actor{})
	w.tAgency = w.task(t, w.alpha, w.msShared, alphaAgency, true, staff)
	w.tHidden = w.task(t, w.alpha, w.msShared, secretTask, false, domain.Actor{})
	w.tInHiddenMS = w.task(t, w.alpha, w.msHidden, secretMSTask, true, domain.Actor{})
	w.cVisible = w.comment(t, w.tShared, alphaComment, false)
	w.cInternal = w.comment(t, w.tShared, secretInternal, true)
	w.comment(t, w.tHidden, secretHiddenCmt, false)
	w.fShared = w.file(t, w.tShared, alphaFile, "shared file contents")
	w.fHidden = w.file(t, w.tHidden, secretFile, "hidden file contents")
	w.fInHiddenMS = w.file(t, w.tInHiddenMS, secretMSFile, "milestone file contents")
	w.dShared = w.doc(t, w.alpha, alphaDoc, "# Brief\n\n"+alphaDocBody, true)
	w.dHidden = w.doc(t, w.alpha, secretDoc, secretDocBody, false)
	w.dcVisible = w.docComment(t, w.dShared, alphaDocCmt, false)
	w.dcInternal = w.docComment(t, w.dShared, secretDocInt, true)
	w.docComment(t, w.dHidden, secretDocCmt, false)
	w.ffShared = w.folderFile(t, w.alpha, alphaFolder, true, false)
	w.ffHidden = w.folderFile(t, w.alpha, secretFolder, false, false)
	w.ffDeleted = w.folderFile(t, w.alpha, secretFolderDel, true, true)

	w.beta = w.project(t, betaProject)
	w.tBeta = w.task(t, w.beta, "", betaTask, true, domain.Actor{})
	w.fBeta = w.file(t, w.tBeta, betaFile, "beta file contents")
	w.dBeta = w.doc(t, w.beta, betaDoc, "Beta doc body", true)
	w.ffBeta = w.folderFile(t, w.beta, betaFolder, true, false)

	w.member, w.memberSession = w.client(t, w.alpha, memberEmail, "Mia Member")
	w.other, w.otherSession = w.client(t, w.beta, otherEmail, "Otto Other")
	w.gone, w.goneSession = w.client(t, w.alpha, goneEmail, "Gina Gone")
	if err := w.svc.RemoveClient(w.ownerID, w.alpha, w.gone); err != nil {
		t.Fatal(err)
	}
	w.assign(t, w.tShared, domain.Actor{Kind: domain.ActorClient, ID: w.member})
	w.assign(t, w.tBeta, domain.Actor{Kind: domain.ActorClient, ID: w.other})
	return w
}

// secrets are the markers no client ever sees, whatever their state.
var secrets = []string{secretMilestone, secretTask, secretMSTask, secretInternal, secretFile,
	secretMSFile, secretHiddenCmt, secretDoc, secretDocBody, secretDocInt, secretDocCmt, ownerEmail,
	secretFolder, secretFolderDel}

var (
	alphaMarkers = []string{alphaProject, alphaMilestone, alphaTask, alphaAgency, alphaComment, alphaFile,
		alphaDoc, alphaDocBody, alphaDocCmt, alphaFolder}
	betaMarkers = []string{betaProject, betaTask, betaFile, betaDoc, betaFolder}
)

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
