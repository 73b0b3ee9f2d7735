// Package archcheck holds tests of the project's layout: how far a
// vendor's knowledge spreads outside its own files. It has no code of its
// own; its tests read the module's source.
package archcheck
