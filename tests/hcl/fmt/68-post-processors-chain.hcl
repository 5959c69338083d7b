build {
  sources = ["source.hcloud.main"]
  post-processors {
    post-processor "shell-local" {
      inline=["echo first"]
    }
    post-processor "manifest" {}
    post-processor "shell-local" {
          inline = [ "echo last" ]
          keep_input_artifact = true
    }
  }
}
