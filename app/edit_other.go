//go:build desktop && !linux

package app

import "github.com/wailsapp/wails/v2/pkg/menu"

// editMenu is Wails' standard Edit menu, whose items the system provides.
func editMenu() *menu.MenuItem { return menu.EditMenu() }
