variable "project" {
  description = "Project name, the first path segment of every repository."
  type        = string
}

variable "repositories" {
  description = "Service names, one repository each."
  type        = list(string)
}

variable "tags" {
  description = "Tags applied to every resource (project, environment, owner)."
  type        = map(string)
}
