package main

import (
	"context"
	"fmt"
	"io"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return fmt.Errorf("serve: not yet wired")
}

func runImportOGP(args []string, stdout, stderr io.Writer) error {
	return fmt.Errorf("import-ogp: not yet wired")
}
