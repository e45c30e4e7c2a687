# EKS managed add-ons. They are Terraform resources, so a re-apply reconciles an
# add-on that already exists instead of failing with ResourceInUseException
# (FAILURES.md D28), and OVERWRITE adopts one that was installed by hand.
# The module is called with depends_on on the node groups, so nothing that
# schedules pods is installed before there are nodes (FAILURES.md P3, P5).

resource "aws_eks_addon" "this" {
  for_each = var.addons

  cluster_name                = var.cluster_name
  addon_name                  = each.key
  addon_version               = each.value.version
  service_account_role_arn    = each.value.service_account_role_arn
  configuration_values        = each.value.configuration_values
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"

  tags = var.tags
}
