package staffapi

import (
	"net/http"
	"path"

	"portico/internal/blob"
	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// folderRequest links a project to a folder.
type folderRequest struct {
	Path *string `json:"path"`
}

// folderFileRequest changes a folder file's shared switch.
type folderFileRequest struct {
	Shared *bool `json:"shared"`
}

// getFolder returns the project's linked folder: its path, state and live files.
func (a *api) getFolder(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	view, err := a.svc.Folder(me.ID, id)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, view)
}

// linkFolder links the project to the folder at path and answers like getFolder.
func (a *api) linkFolder(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var in folderRequest
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	if in.Path == nil || *in.Path == "" {
		a.writeError(w, r, badRequest("path", "path is required: the folder to link"))
		return
	}
	if _, err := a.svc.LinkFolder(me.ID, id, *in.Path); err != nil {
		a.writeError(w, r, err)
		return
	}
	a.getFolder(w, r, me)
}

// unlinkFolder stops syncing the project's folder; its files stay.
func (a *api) unlinkFolder(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	if err := a.svc.UnlinkFolder(me.ID, id); err != nil {
		a.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// updateFolderFile turns a folder file's shared switch on or off.
func (a *api) updateFolderFile(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var in folderFileRequest
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	if in.Shared == nil {
		a.writeError(w, r, badRequest("shared", "shared is required: true or false"))
		return
	}
	f, err := a.svc.ShareFolderFile(me.ID, id, *in.Shared)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// downloadFolderFile sends a folder file's contents like downloadFile.
func (a *api) downloadFolderFile(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var f domain.FolderFile
	err = a.svc.Store().View(func(tx *store.Tx) error {
		f, err = service.StaffFolderFile(tx, me.ID, id)
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	content, err := a.svc.Blobs().Open(f.SHA256)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	defer content.Close()
	blob.ServeFile(w, r, content, blob.Download{Name: path.Base(f.Rel),
		ContentType: f.ContentType, ModTime: f.ModTime, SHA256: f.SHA256})
}
