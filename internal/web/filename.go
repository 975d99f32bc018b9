package web

import "strings"

// formFileNameEscapes undoes what the HTML standard has browsers do to a file name in a
// multipart/form-data body: Chromium and Firefox write `"` as %22, CR as %0D and LF as %0A,
// and leave every other byte, "%" included, as it is.
var formFileNameEscapes = strings.NewReplacer("%22", `"`, "%0D", "\r", "%0A", "\n")

// FormFileName returns the file name a browser meant, from the filename of a multipart
// part: exactly the three sequences the HTML standard escapes are decoded, so "100%25.txt"
// stays as it is. The result still needs the usual sanitizing (CR and LF are not allowed in
// stored names), which the service does.
func FormFileName(name string) string {
	return formFileNameEscapes.Replace(name)
}
