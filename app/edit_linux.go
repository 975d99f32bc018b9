//go:build desktop && linux

package app

/*
#cgo linux pkg-config: gtk+-3.0
#cgo !webkit2_41 pkg-config: webkit2gtk-4.0
#cgo webkit2_41 pkg-config: webkit2gtk-4.1

#include <stdlib.h>
#include <gtk/gtk.h>
#include <webkit2/webkit2.h>

static GtkWidget *portico_find_webview(GtkWidget *widget) {
	if (WEBKIT_IS_WEB_VIEW(widget)) {
		return widget;
	}
	if (!GTK_IS_CONTAINER(widget)) {
		return NULL;
	}
	GtkWidget *found = NULL;
	GList *children = gtk_container_get_children(GTK_CONTAINER(widget));
	for (GList *l = children; l != NULL && found == NULL; l = l->next) {
		found = portico_find_webview(GTK_WIDGET(l->data));
	}
	g_list_free(children);
	return found;
}

// portico_run_edit runs on GTK's main loop: it finds the window's web view and hands it
// one editing command (Copy, Paste, ...), then frees the command's name.
static gboolean portico_run_edit(gpointer data) {
	GList *windows = gtk_window_list_toplevels();
	for (GList *l = windows; l != NULL; l = l->next) {
		GtkWidget *view = portico_find_webview(GTK_WIDGET(l->data));
		if (view != NULL) {
			webkit_web_view_execute_editing_command(WEBKIT_WEB_VIEW(view), (const char *)data);
			break;
		}
	}
	g_list_free(windows);
	g_free(data);
	return G_SOURCE_REMOVE;
}

static void portico_edit(const char *command) {
	g_idle_add(portico_run_edit, g_strdup(command));
}
*/
import "C"

import (
	"unsafe"

	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"
)

// editMenu is the Edit menu. Wails' Edit role exists only on macOS, so on Linux each item
// sends WebKit's own editing command to the page; the shortcuts behave exactly like the
// menu items.
func editMenu() *menu.MenuItem {
	m := menu.NewMenu()
	for _, item := range []struct {
		label, command string
		key            *keys.Accelerator
	}{
		{"Undo", "Undo", keys.CmdOrCtrl("z")},
		{"Redo", "Redo", keys.Combo("z", keys.CmdOrCtrlKey, keys.ShiftKey)},
		{"", "", nil},
		{"Cut", "Cut", keys.CmdOrCtrl("x")},
		{"Copy", "Copy", keys.CmdOrCtrl("c")},
		{"Paste", "Paste", keys.CmdOrCtrl("v")},
		{"Select All", "SelectAll", keys.CmdOrCtrl("a")},
	} {
		if item.label == "" {
			m.AddSeparator()
			continue
		}
		m.AddText(item.label, item.key, func(*menu.CallbackData) { editCommand(item.command) })
	}
	return menu.SubMenu("Edit", m)
}

// editCommand queues a WebKit editing command for the web view; menu callbacks run off
// GTK's thread, so the command runs on its next idle turn.
func editCommand(command string) {
	c := C.CString(command)
	defer C.free(unsafe.Pointer(c))
	C.portico_edit(c)
}
