# Contractors never hold privileged roles.
#
# A contractor is an identity labelled `employment: contractor`. A role is
# privileged when it is declared so or reaches a privileged permission
# (`privileged` in the input); `roles` lists what an identity holds through
# active grants, inherited roles included.
package rolelint.contractors

privileged_roles contains role.id if {
	some role in input.roles
	role.privileged
}

deny contains finding if {
	some identity in input.identities
	identity.labels.employment == "contractor"
	some role in identity.roles
	privileged_roles[role]
	finding := {
		"msg": sprintf("contractor %s holds the privileged role %s", [identity.id, role]),
		"kind": identity.kind,
		"id": identity.id,
		"detail": role,
		"help": "contractors get time-boxed, non-privileged access: revoke the grant or move the work to an employee",
	}
}
