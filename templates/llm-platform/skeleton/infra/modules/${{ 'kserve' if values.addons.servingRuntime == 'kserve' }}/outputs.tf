output "kserve_version" {
  description = "Installed KServe version."
  value       = helm_release.kserve.version
}
