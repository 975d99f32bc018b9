package portal

import "portico/internal/domain"

// site is where a page is shown: the portal itself, for a signed-in client, or the staff
// preview of one client's view of one project. Pages take their links and their forms
// from it, so the preview renders the portal's own templates rather than copies of them.
type site struct {
	// ReadOnly pages are previews: they hold no forms, load no script and have no list of
	// projects to link to. The portal's own pages keep their markup in the templates'
	// other branch, so they cost no more than before the preview existed.
	ReadOnly bool
	// Stylesheet is the address of the portal stylesheet in a preview.
	Stylesheet string
	// Viewer names the client whose view a preview shows; "" on the portal itself.
	Viewer string
	// Note tells staff, in a preview, why the client gets no page here.
	Note string

	// project is the address of the project page in a preview, which shows one project
	// only; "" on the portal, where each project has its own.
	project    string
	taskPrefix string
	docPrefix  string
	filePrefix string
	fileSuffix string
	// folderPrefix starts the address of a folder file's download; fileSuffix ends it.
	folderPrefix string
}

// portalSite is the portal as clients use it.
var portalSite = &site{taskPrefix: "/t/", docPrefix: "/d/", filePrefix: "/f/",
	folderPrefix: "/ff/"}

// ProjectURL is the address of a project page.
func (s *site) ProjectURL(id domain.ID) string {
	if s.project != "" {
		return s.project
	}

	return "/p/" + string(id)
}

// TaskURL is the address of a task page.
func (s *site) TaskURL(id domain.ID) string { return s.taskPrefix + string(id) }

// DocURL is the address of a doc page.
func (s *site) DocURL(id domain.ID) string { return s.docPrefix + string(id) }

// FileURL is the address that downloads a file.
func (s *site) FileURL(id domain.ID) string { return s.filePrefix + string(id) + s.fileSuffix }

// FolderFileURL is the address that downloads a file of the project's linked folder.
func (s *site) FolderFileURL(id domain.ID) string {
	return s.folderPrefix + string(id) + s.fileSuffix
}
