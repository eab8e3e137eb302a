// Package static embeds PatentDesk's stylesheets, scripts and images and
// gives each a fingerprinted URL, so browsers may cache them for a year and
// still see a new version at once.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"strings"
)

//go:embed css js img vendor
var files embed.FS

// Prefix is the URL path under which assets are served.
const Prefix = "/static/"

// Assets maps each embedded file to the fingerprint of its content.
type Assets struct {
	fsys   fs.FS
	hashes map[string]string // name → first 12 hex digits of its SHA-256
}

// Load fingerprints every embedded file.
func Load() (*Assets, error) {
	a := &Assets{fsys: files, hashes: map[string]string{}}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.hashes[name] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
	return a, err
}

// Path returns the fingerprinted URL of an asset, e.g.
// /static/3f2a1b9c0d4e/css/app.css. It panics on an unknown name: a template
// naming a missing file is a programming error that tests must catch.
func (a *Assets) Path(name string) string {
	h, ok := a.hashes[name]
	if !ok {
		panic("static: no asset named " + name)
	}
	return Prefix + h + "/" + name
}

// Resolve splits a request path below Prefix ("3f2a1b9c0d4e/css/app.css")
// into the asset's name and whether the fingerprint is the current one.
func (a *Assets) Resolve(rest string) (name string, current bool, ok bool) {
	hash, name, found := strings.Cut(rest, "/")
	if !found {
		return "", false, false
	}
	h, exists := a.hashes[name]
	if !exists {
		return "", false, false
	}
	return name, h == hash, true
}

// FS is the embedded file tree.
func (a *Assets) FS() fs.FS { return a.fsys }
