//go:build desktop

package app

import (
	"fmt"

	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// menu is the window's menu bar: File, Edit and Help.
func (sh *shell) menu() *menu.Menu {
	bar := menu.NewMenu()
	file := bar.AddSubmenu("File")
	file.AddText("Quit", keys.CmdOrCtrl("q"), func(*menu.CallbackData) { sh.quit() })
	bar.Append(editMenu())
	help := bar.AddSubmenu("Help")
	help.AddText("About Portico", nil, func(*menu.CallbackData) { sh.about() })
	return bar
}

// about shows the version, the data folder and the portal address in a native dialog.
func (sh *shell) about() {
	info := sh.bridge.info
	message := fmt.Sprintf("Portico %s\n\nData folder: %s\nClient portal: %s\n"+
		"Signed in as the local owner.", info.Version, info.DataDir, info.PortalURL)
	_, err := runtime.MessageDialog(sh.wctx, runtime.MessageDialogOptions{
		Type: runtime.InfoDialog, Title: "About Portico", Message: message,
	})
	if err != nil {
		sh.log.Warn("about dialog", "error", err)
	}
}
