package main

import (
	"fmt"

	"github.com/google/uuid"
	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"
)

func main() {
	root := &cobra.Command{Use: "cli", Run: func(cmd *cobra.Command, args []string) {
		out, _ := yaml.Marshal(map[string]string{"id": uuid.NewString(), "t": cases.Title(language.English).String("x")})
		logrus.Info(string(out))
		fmt.Println("ok")
	}}
	_ = root.Execute()
}
