//! Decisions per operation: how its function calls the runtime the profile chose, and the names of
//! what it generates.

use std::collections::BTreeSet;

use super::types::{constructor, setters, Arg, Setter, TypePlan};
use super::{handle_name, KindPlan};
use crate::error::{Error, ErrorKind};
use crate::ir::{
    self, simplify_features, BodyMedia, BodyPlacement, EndpointRuntime, Features, Ir, Operation,
    ParamLocation, ResponseBody, StatusMatch, Ty, TypeId,
};

/// What is decided of one operation, with the operation it is rendered from.
#[derive(Debug, Clone)]
pub struct OperationPlan<'ir> {
    /// The operation.
    pub op: &'ir Operation,
    /// The features under which its function is compiled (empty: always).
    pub cfg: Features,
    /// How its function calls the runtime.
    pub call: Call,
}

/// How a function calls the runtime ([`ir::Binding`] with what it needs decided).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// The generic runtime: a marker type building the HTTP request, and a `Request` of it.
    Request(Box<RequestPlan>),
    /// A runtime of `Operation` marker types and requests that run when awaited.
    Endpoint(Box<EndpointPlan>),
}

/// An endpoint of the generic runtime: a marker type implementing its `Operation` (the HTTP request
/// of the params, what a response becomes), setters on its `Request`, and the function starting the
/// request from the required parameters (and `<name>_with(params)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPlan {
    /// The HTTP request is changed after it is made (parameters, a body, security or idempotency).
    pub mutable: bool,
    /// The type error bodies decode into (free-form JSON when `None`).
    pub error: Option<Ty>,
    /// Success statuses without a body beside a typed one: the request returns an `Option`,
    /// `None` for these.
    pub empty_statuses: Vec<u16>,
    /// The marker type (`ListPets`).
    pub marker: String,
    /// The method taking a whole params value (`list_pets_with`), for a struct of params.
    pub with_method: String,
    /// How the function makes the params value.
    pub params: ParamsShape,
    /// The params constructor's arguments, with a required JSON, form or multipart body's
    /// constructor arguments in place of the body: the function takes the parameters' in this
    /// order, then the body's.
    pub args: Vec<ParamArg>,
    /// The setters of the request: the params struct's, then the body's (when its arguments are
    /// the function's).
    pub setters: Vec<RequestSetter>,
}

/// An argument of a generic endpoint function, as the params constructor takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamArg {
    /// The constructor's argument itself.
    Plain(Arg),
    /// The body argument, made here from arguments of the function: `Body::new(args…)` (or
    /// `Default` when there are none and the body has no `new`).
    Body {
        /// The constructor's body argument.
        arg: Arg,
        /// The body struct.
        ty: TypeId,
        /// Its constructor's arguments, renamed `body_<name>` where a parameter has the name.
        args: Vec<Arg>,
    },
}

/// A setter of a generic endpoint's request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSetter {
    /// The setter (its field an index into the params struct's fields, or the body's).
    pub setter: Setter,
    /// It sets a field of the body, the params field named here (else a field of the params).
    pub body_field: Option<String>,
}

/// An endpoint of a runtime with `Operation` marker types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointPlan {
    /// The runtime's names.
    pub runtime: EndpointRuntime,
    /// The marker type (`AccessCodesCreate`).
    pub marker: String,
    /// The method taking a whole params value (`create_with`), for a struct of params.
    pub with_method: String,
    /// How the group method makes the params.
    pub params: ParamsShape,
    /// The query parameters, sent beside the JSON body.
    pub query: Vec<QueryParam>,
    /// The response type.
    pub response: TypeId,
    /// The security schemes the endpoint accepts, by name, sorted.
    pub security: Vec<String>,
    /// The setters of the request (the params struct's).
    pub setters: Vec<Setter>,
}

/// How an endpoint's group method makes its params value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamsShape {
    /// No params type: the runtime's `NoParams`.
    None,
    /// A struct: `new(args…)` (or `Default` when there are none) and setters.
    Struct {
        /// The group method's arguments: the constructor's.
        args: Vec<Arg>,
    },
    /// Any other type (a union of alternative parameter sets): passed whole.
    Whole,
}

/// A query parameter of an endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryParam {
    /// The name on the wire.
    pub wire: String,
    /// The params field holding it.
    pub field: String,
    /// Always sent (else only when set).
    pub required: bool,
}

pub(super) fn plan_operations<'ir>(
    ir: &'ir Ir,
    types: &[Option<TypePlan<'_>>],
) -> Result<Vec<OperationPlan<'ir>>, Error> {
    let mut out = Vec::with_capacity(ir.operations.len());
    for op in &ir.operations {
        let cfg = simplify_features(BTreeSet::from([op.features.clone()]));
        let call = match &ir.binding {
            ir::Binding::Request => Call::Request(Box::new(request_plan(ir, types, op))),
            ir::Binding::Endpoint(runtime) => {
                check_with_name(ir, op)?;
                Call::Endpoint(Box::new(endpoint_plan(ir, types, *runtime, op)?))
            }
        };
        out.push(OperationPlan { op, cfg, call });
    }
    Ok(out)
}

fn request_plan(ir: &Ir, types: &[Option<TypePlan<'_>>], op: &Operation) -> RequestPlan {
    let empty_statuses = if op.success.body == ResponseBody::Empty {
        Vec::new()
    } else {
        op.success
            .empty
            .iter()
            .filter_map(|s| match s {
                StatusMatch::Code(c) => Some(*c),
                _ => None,
            })
            .collect()
    };
    let mut marker_path = op.group.clone();
    marker_path.push(op.name.clone());
    // `x_with` when no function of the group has that name.
    let taken = |name: &str| {
        ir.operations
            .iter()
            .any(|o| o.group == op.group && o.name == name)
    };
    let mut with_method = format!("{}_with", op.name);
    if taken(&with_method) {
        with_method = format!("{}_with_params", op.name);
    }
    let struct_plan = |id: TypeId| match types.get(ir.resolve(id).0).and_then(Option::as_ref) {
        Some(TypePlan {
            kind: KindPlan::Struct(s),
            ..
        }) => Some(s),
        _ => None,
    };
    let (params, args, mut setters) = match op.params_type.map(|p| (p, struct_plan(p))) {
        None => (ParamsShape::None, Vec::new(), Vec::new()),
        Some((p, Some(s))) => {
            let fields = ir.struct_fields(p);
            let builder = s.builder.as_ref();
            let ctor = builder.and_then(|b| b.new.clone()).unwrap_or_default();
            let setters: Vec<RequestSetter> = builder
                .map(|b| b.setters.clone())
                .unwrap_or_default()
                .into_iter()
                .map(|setter| RequestSetter {
                    setter,
                    body_field: None,
                })
                .collect();
            let args = ctor.iter().cloned().map(ParamArg::Plain).collect();
            (
                ParamsShape::Struct { args: ctor },
                expand_body(op, fields, args, &struct_plan),
                setters,
            )
        }
        Some((_, None)) => (ParamsShape::Whole, Vec::new(), Vec::new()),
    };
    // The body's setters, when its arguments are the function's.
    for a in &args {
        let ParamArg::Body { arg, ty, .. } = a else {
            continue;
        };
        let Some(b) = struct_plan(*ty).and_then(|s| s.builder.as_ref()) else {
            continue;
        };
        let field = op
            .params_type
            .map(|p| ir.struct_fields(p)[arg.field].name.clone())
            .unwrap_or_default();
        let names: BTreeSet<String> = setters.iter().map(|s| s.setter.method.clone()).collect();
        for s in &b.setters {
            let mut setter = s.clone();
            if names.contains(&setter.method) {
                setter.method = format!("body_{}", setter.method);
            }
            setters.push(RequestSetter {
                setter,
                body_field: Some(field.clone()),
            });
        }
    }
    RequestPlan {
        mutable: !(op.params.is_empty()
            && op.body.is_none()
            && op.security.is_empty()
            && !op.idempotent),
        error: op.error(),
        empty_statuses,
        marker: handle_name(&marker_path),
        with_method,
        params,
        args,
        setters,
    }
}

/// The params constructor's arguments with a required body struct's constructor arguments in place
/// of the body: `create_pet(name)`, not `create_pet(CreatePetBody::new(name))`.
fn expand_body<'a>(
    op: &Operation,
    fields: &[ir::Field],
    mut args: Vec<ParamArg>,
    struct_plan: &dyn Fn(TypeId) -> Option<&'a super::types::StructPlan<'a>>,
) -> Vec<ParamArg> {
    let Some(ir::Body {
        placement: BodyPlacement::Field {
            field,
            required: true,
        },
        media: BodyMedia::Json | BodyMedia::Form | BodyMedia::Multipart,
        ..
    }) = &op.body
    else {
        return args;
    };
    let Some(at) = args.iter().position(|a| match a {
        ParamArg::Plain(arg) => fields.get(arg.field).is_some_and(|f| &f.name == field),
        ParamArg::Body { .. } => false,
    }) else {
        return args;
    };
    let ParamArg::Plain(arg) = &args[at] else {
        return args;
    };
    let f = &fields[arg.field];
    let (Ty::Named(id), false, false) = (&f.ty, f.boxed, f.nullable) else {
        return args;
    };
    let Some(builder) = struct_plan(*id).and_then(|s| s.builder.as_ref()) else {
        return args;
    };
    if builder.test_util {
        return args;
    }
    let taken: BTreeSet<&str> = args
        .iter()
        .filter_map(|a| match a {
            ParamArg::Plain(a) => Some(a.name.as_str()),
            ParamArg::Body { .. } => None,
        })
        .collect();
    let body_args: Vec<Arg> = builder
        .new
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|mut a| {
            if taken.contains(a.name.as_str()) || a.name == "body" {
                a.name = format!("body_{}", a.name);
            }
            a
        })
        .collect();
    args[at] = ParamArg::Body {
        arg: arg.clone(),
        ty: *id,
        args: body_args,
    };
    args
}

fn endpoint_plan(
    ir: &Ir,
    types: &[Option<TypePlan<'_>>],
    runtime: EndpointRuntime,
    op: &Operation,
) -> Result<EndpointPlan, Error> {
    let Some(response) = op.response() else {
        return Err(Error::new(
            ErrorKind::Unsupported,
            &op.pointer,
            "internal error: an endpoint of this profile has no response type",
        ));
    };
    let mut marker_path = op.group.clone();
    marker_path.push(op.name.clone());
    let (params, setters) = match op.params_type {
        None => (ParamsShape::None, Vec::new()),
        Some(p) => match types[ir.resolve(p)].as_ref().map(|t| &t.kind) {
            Some(KindPlan::Struct(_)) => {
                let fields = ir.struct_fields(p);
                (
                    ParamsShape::Struct {
                        args: constructor(ir, fields),
                    },
                    setters(ir, fields),
                )
            }
            _ => (ParamsShape::Whole, Vec::new()),
        },
    };
    let query = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| QueryParam {
            wire: p.wire.clone(),
            field: p.field.clone(),
            required: p.required,
        })
        .collect();
    let security: BTreeSet<&String> = op.security.iter().flatten().collect();
    Ok(EndpointPlan {
        runtime,
        marker: handle_name(&marker_path),
        with_method: format!("{}_with", op.name),
        params,
        query,
        response,
        security: security.into_iter().cloned().collect(),
        setters,
    })
}

/// A group method `x_with` would be the whole-params variant of a method `x` of the same group.
fn check_with_name(ir: &Ir, op: &Operation) -> Result<(), Error> {
    let Some(base) = op.name.strip_suffix("_with") else {
        return Ok(());
    };
    match ir
        .operations
        .iter()
        .find(|o| o.group == op.group && o.name == base)
    {
        Some(other) => Err(Error::new(
            ErrorKind::Collision,
            &op.pointer,
            format!(
                "the SDK method `{0}.{1}` has the name of `{0}.{2}`'s variant taking a whole params \
                 value (`{3}`); expected a method name not ending in `_with`",
                op.group.join("."),
                op.name,
                base,
                other.pointer
            ),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::tests::test_operation;

    #[test]
    fn a_with_method_may_not_shadow_another_endpoint() {
        let mut ir = Ir::default();
        for name in ["list", "list_with"] {
            ir.operations.push(Operation {
                name: name.into(),
                group: vec!["devices".into()],
                ..test_operation()
            });
        }
        let err = check_with_name(&ir, &ir.operations[1]).expect_err("a clash");
        assert!(err.to_string().contains("not ending in `_with`"), "{err}");
        assert!(check_with_name(&ir, &ir.operations[0]).is_ok());
    }

    #[test]
    fn the_generic_runtime_returns_an_option_beside_bodiless_statuses() {
        let mut op = test_operation();
        op.success.empty = vec![StatusMatch::Code(204), StatusMatch::Range(2)];
        // No typed body: nothing is optional.
        assert!(request_plan(&Ir::default(), &[], &op)
            .empty_statuses
            .is_empty());
        op.success.body = ResponseBody::Json(Ty::String);
        assert_eq!(request_plan(&Ir::default(), &[], &op).empty_statuses, [204]);
        assert!(!request_plan(&Ir::default(), &[], &op).mutable);
        op.idempotent = true;
        assert!(request_plan(&Ir::default(), &[], &op).mutable);
    }

    #[test]
    fn an_endpoint_without_a_response_type_is_an_error_not_a_silent_drop() {
        let ir = Ir::default();
        let runtime = crate::plan::tests::test_runtime();
        let err = endpoint_plan(&ir, &[], runtime, &test_operation()).expect_err("an error");
        assert!(err.to_string().contains("no response type"), "{err}");
    }
}
