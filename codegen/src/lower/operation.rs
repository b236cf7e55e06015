//! Lowering of operations into their typed plan ([`Operation`]): parameters by location, the body by
//! media type, responses by status; the profile decides grouping, names, returns and extras.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{
    MediaType, Parameter, ParameterData, ParameterSchemaOrContent, PathItem, ReferenceOr,
    RequestBody, Response, StatusCode,
};

use super::{ctx_with_hint, dedupe_field_names, Ctx, Lowerer, RefOr};
use crate::error::{push_segment, Error, ErrorKind, Warning};
use crate::ir::*;
use crate::naming;
use crate::profile::{ClashPolicy, OperationSource, Responses};

/// How a media type is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MediaClass {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

fn classify(media: &str) -> MediaClass {
    let base = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if base == "application/json" || base.ends_with("+json") || base == "text/json" {
        MediaClass::Json
    } else if base == "application/x-www-form-urlencoded" {
        MediaClass::Form
    } else if base.starts_with("multipart/") {
        MediaClass::Multipart
    } else if base.starts_with("text/") {
        MediaClass::Text
    } else {
        MediaClass::Bytes
    }
}

/// The media type to generate among a content map's: JSON first, then form, multipart, text, bytes.
fn choose_media(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType, MediaClass)> {
    content
        .iter()
        .map(|(k, m)| (k.as_str(), m, classify(k)))
        .min_by_key(|(_, _, class)| *class)
}

/// A parameter, resolved, with where it was declared.
struct ParamSource<'a> {
    location: ParamLocation,
    data: &'a ParameterData,
    style: ParamStyle,
    pointer: String,
}

impl<'a> Lowerer<'a> {
    /// Follows `$ref`s into `#/components/<section>` until an item ([`Lowerer::follow_ref`]): the
    /// item and the pointer it is at.
    fn follow<T>(
        &self,
        r: &'a ReferenceOr<T>,
        section: &str,
        map: impl Fn(&'a openapiv3::Components) -> &'a IndexMap<String, ReferenceOr<T>>,
        pointer: &str,
    ) -> Result<(&'a T, String), Error> {
        match r {
            ReferenceOr::Item(item) => Ok((item, pointer.to_string())),
            ReferenceOr::Reference { reference } => {
                self.follow_ref(reference, section, map, pointer)
            }
        }
    }

    /// Whether `ty` is a struct with fields (each a part of a multipart body).
    fn is_struct(&self, ty: &Ty) -> bool {
        matches!(ty, Ty::Named(id) if matches!(&self.types[*id].kind, TypeKind::Struct(f) if !f.is_empty()))
    }

    /// Lowers one path item: the operations the profile generates, and a walk of the others.
    pub(super) fn lower_path(
        &mut self,
        ir: &mut Ir,
        path: &str,
        item: &'a PathItem,
        path_ptr: &str,
    ) -> Result<(), Error> {
        let methods = [
            (HttpMethod::Get, &item.get),
            (HttpMethod::Put, &item.put),
            (HttpMethod::Post, &item.post),
            (HttpMethod::Delete, &item.delete),
            (HttpMethod::Options, &item.options),
            (HttpMethod::Head, &item.head),
            (HttpMethod::Patch, &item.patch),
            (HttpMethod::Trace, &item.trace),
        ];
        let present: Vec<(HttpMethod, &'a openapiv3::Operation)> = methods
            .iter()
            .filter_map(|(m, op)| op.as_ref().map(|op| (*m, op)))
            .collect();
        let methods: Vec<HttpMethod> = present.iter().map(|(m, _)| *m).collect();
        ir.operation_count += present.len();
        let generated = self.profile.functions_of_path(&methods);
        for (method, op) in &present {
            let pointer = push_segment(path_ptr, method.key());
            if !generated.contains(method) {
                self.check_refs_in_operation(op, &pointer)?;
                continue;
            }
            let source = OperationSource {
                path,
                method: *method,
                op,
                pointer: &pointer,
            };
            let mut operation = self.lower_operation(&source, op, &item.parameters)?;
            operation.idempotent = self.profile.idempotent(&operation, &methods);
            if let Some(top) = operation.group.first() {
                ir.groups.insert(top.clone());
            }
            ir.operations.push(operation);
        }
        Ok(())
    }

    /// The parameters of an operation: the path item's, overridden by the operation's of the same
    /// name and location.
    fn parameters(
        &self,
        source: &OperationSource<'_>,
        op: &'a openapiv3::Operation,
        shared: &'a [ReferenceOr<Parameter>],
    ) -> Result<Vec<ParamSource<'a>>, Error> {
        let path_ptr = source
            .pointer
            .rsplit_once('/')
            .map_or(source.pointer, |(p, _)| p)
            .to_string();
        let mut out: Vec<ParamSource<'a>> = Vec::new();
        let lists = [
            (shared, push_segment(&path_ptr, "parameters")),
            (
                op.parameters.as_slice(),
                push_segment(source.pointer, "parameters"),
            ),
        ];
        for (list, list_ptr) in lists {
            for (i, p) in list.iter().enumerate() {
                let (p, pointer) = self.follow(
                    p,
                    "parameters",
                    |c| &c.parameters,
                    &push_segment(&list_ptr, &i.to_string()),
                )?;
                let (location, data, style) = match p {
                    Parameter::Path {
                        parameter_data,
                        style,
                    } => (
                        ParamLocation::Path,
                        parameter_data,
                        match style {
                            openapiv3::PathStyle::Simple => ParamStyle::Simple,
                            openapiv3::PathStyle::Label => ParamStyle::Label,
                            openapiv3::PathStyle::Matrix => ParamStyle::Matrix,
                        },
                    ),
                    Parameter::Query {
                        parameter_data,
                        style,
                        ..
                    } => (
                        ParamLocation::Query,
                        parameter_data,
                        match style {
                            openapiv3::QueryStyle::Form => ParamStyle::Form,
                            openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                            openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                            openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
                        },
                    ),
                    Parameter::Header { parameter_data, .. } => {
                        (ParamLocation::Header, parameter_data, ParamStyle::Simple)
                    }
                    Parameter::Cookie { parameter_data, .. } => {
                        (ParamLocation::Cookie, parameter_data, ParamStyle::Form)
                    }
                };
                let new = ParamSource {
                    location,
                    data,
                    style,
                    pointer,
                };
                match out
                    .iter_mut()
                    .find(|o| o.location == location && o.data.name == data.name)
                {
                    Some(existing) => *existing = new,
                    None => out.push(new),
                }
            }
        }
        Ok(out)
    }

    fn lower_operation(
        &mut self,
        source: &OperationSource<'_>,
        op: &'a openapiv3::Operation,
        shared: &'a [ReferenceOr<Parameter>],
    ) -> Result<Operation, Error> {
        let pointer = source.pointer;
        let location = self.profile.locate(source)?;
        let group: Vec<String> = location
            .group
            .iter()
            .map(|g| naming::field_name(g))
            .collect();
        let name = naming::field_name(&location.name);
        let base_hint: Vec<String> = group
            .iter()
            .cloned()
            .chain(std::iter::once(location.name.clone()))
            .collect();
        let op_ctx = Ctx {
            pointer: pointer.to_string(),
            hint: base_hint.clone(),
            component: None,
            group: Some(
                group
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "operations".into()),
            ),
        };
        // Parameters.
        let sources = self.parameters(source, op, shared)?;
        let mut params: Vec<Param> = Vec::new();
        let mut param_fields: Vec<Field> = Vec::new();
        // Whether a security scheme sends this operation's credentials.
        let secured = op
            .security
            .as_ref()
            .or(self.spec.security.as_ref())
            .is_some_and(|reqs| reqs.iter().any(|req| !req.is_empty()));
        for p in &sources {
            // OpenAPI: a header parameter named `Accept`, `Content-Type` or `Authorization` is
            // ignored; the media types and the security scheme set those headers. An
            // `Authorization` parameter of an operation no scheme secures is kept: it is the only
            // way the spec gives to send credentials.
            if p.location == ParamLocation::Header {
                let name = p.data.name.to_ascii_lowercase();
                let ignored = match name.as_str() {
                    "accept" | "content-type" => Some("the request's media types set it"),
                    "authorization" if secured => Some("the operation's security scheme sets it"),
                    _ => None,
                };
                if let Some(why) = ignored {
                    self.warnings.push(Warning {
                        pointer: p.pointer.clone(),
                        message: format!(
                            "a header parameter `{}`, which OpenAPI says to ignore ({why}): left \
                             out",
                            p.data.name
                        ),
                    });
                    continue;
                }
            }
            if p.location == ParamLocation::Path
                && !source.path.contains(&format!("{{{}}}", p.data.name))
            {
                self.warnings.push(Warning {
                    pointer: p.pointer.clone(),
                    message: format!(
                        "a path parameter `{}` that the path `{}` does not have: left out (no \
                         request could send it)",
                        p.data.name, source.path
                    ),
                });
                continue;
            }
            let json = matches!(p.data.format, ParameterSchemaOrContent::Content(_));
            let (schema, schema_ptr) = match &p.data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    (RefOr::from(schema), push_segment(&p.pointer, "schema"))
                }
                ParameterSchemaOrContent::Content(content) => {
                    let Some((media, m)) = content.iter().next() else {
                        return Err(Error::new(
                            ErrorKind::Schema,
                            push_segment(&p.pointer, "content"),
                            "expected a media type with a schema",
                        ));
                    };
                    let media_ptr = push_segment(&push_segment(&p.pointer, "content"), media);
                    match &m.schema {
                        Some(s) => (RefOr::from(s), push_segment(&media_ptr, "schema")),
                        None => {
                            return Err(Error::new(
                                ErrorKind::Schema,
                                media_ptr,
                                "expected a `schema` for the parameter's media type",
                            ))
                        }
                    }
                }
            };
            let ctx = ctx_with_hint(&op_ctx.at(schema_ptr.clone()), &op_ctx, &p.data.name);
            let (ty, _) = self.lower_schema(schema, &ctx)?;
            let required = p.data.required || p.location == ParamLocation::Path;
            let explode = p
                .data
                .explode
                .unwrap_or(matches!(p.style, ParamStyle::Form | ParamStyle::DeepObject));
            let deprecated = p.data.deprecated.unwrap_or(false).then(String::new);
            param_fields.push(Field {
                wire: p.data.name.clone(),
                name: naming::field_name(&p.data.name),
                ty: ty.clone(),
                required,
                nullable: false,
                boxed: false,
                flatten: false,
                location: Some(p.location),
                meta: Meta {
                    docs: p.data.description.clone().filter(|d| !d.trim().is_empty()),
                    deprecated,
                    ..Meta::default()
                },
            });
            params.push(Param {
                wire: p.data.name.clone(),
                field: String::new(),
                location: p.location,
                style: p.style,
                explode,
                json,
                required,
                ty,
                pointer: p.pointer.clone(),
                schema_pointer: schema_ptr,
            });
        }

        // The request body.
        let mut body: Option<Body> = None;
        let mut params_type: Option<TypeId> = None;
        if let Some(b) = &op.request_body {
            let (b, body_ptr): (&RequestBody, String) = self.follow(
                b,
                "requestBodies",
                |c| &c.request_bodies,
                &push_segment(pointer, "requestBody"),
            )?;
            if let Some((media, m, class)) = choose_media(&b.content) {
                let media_ptr = push_segment(&push_segment(&body_ptr, "content"), media);
                for other in b.content.keys().filter(|k| k.as_str() != media) {
                    self.warnings.push(Warning {
                        pointer: push_segment(&push_segment(&body_ptr, "content"), other),
                        message: format!(
                            "the request body is also accepted as `{other}`; the function sends `{media}`"
                        ),
                    });
                }
                for property in m.encoding.keys() {
                    self.warnings.push(Warning {
                        pointer: push_segment(&push_segment(&media_ptr, "encoding"), property),
                        message: "per-property `encoding` is not applied: the property is sent as \
                                  the runtime encodes it by default (JSON text for objects)"
                            .into(),
                    });
                }
                let mut hint = base_hint.clone();
                hint.push(
                    if self.profile.flatten_body() {
                        "params"
                    } else {
                        "body"
                    }
                    .into(),
                );
                let ctx = Ctx {
                    pointer: push_segment(&media_ptr, "schema"),
                    hint,
                    ..op_ctx.clone()
                };
                let (media_kind, ty) = match class {
                    MediaClass::Bytes => (BodyMedia::Bytes, Ty::Bytes),
                    MediaClass::Text => (BodyMedia::Text, Ty::String),
                    MediaClass::Json | MediaClass::Form | MediaClass::Multipart => {
                        let kind = match class {
                            MediaClass::Json => BodyMedia::Json,
                            MediaClass::Form => BodyMedia::Form,
                            _ => BodyMedia::Multipart,
                        };
                        let ty = match &m.schema {
                            Some(schema) if self.profile.flatten_body() => {
                                let id = self.lower_body(schema.into(), &ctx)?;
                                params_type = Some(id);
                                Ty::Named(id)
                            }
                            Some(schema) => self.lower_schema(schema.into(), &ctx)?.0,
                            None if self.profile.flatten_body() => {
                                let id = self.new_type(
                                    &ctx,
                                    Meta::default(),
                                    TypeKind::Struct(Vec::new()),
                                );
                                params_type = Some(id);
                                Ty::Named(id)
                            }
                            None if class == MediaClass::Json => Ty::Json,
                            None => Ty::JsonObject,
                        };
                        (kind, ty)
                    }
                };
                if media_kind == BodyMedia::Multipart && !self.is_struct(&ty) {
                    self.warnings.push(Warning {
                        pointer: push_segment(&media_ptr, "schema"),
                        message:
                            "a multipart body that is not an object with properties: it is sent \
                                  as one part named `body` holding the value"
                                .into(),
                    });
                }
                let placement = if self.profile.flatten_body() {
                    BodyPlacement::Flattened
                } else {
                    BodyPlacement::Field {
                        field: String::new(),
                        required: b.required,
                    }
                };
                body = Some(Body {
                    media: media_kind,
                    content_type: media.to_string(),
                    ty,
                    placement,
                    pointer: media_ptr,
                });
            }
        }

        // The params struct: the flattened body with the parameters appended, or a struct of its own.
        if let Some(pid) = params_type {
            if !param_fields.is_empty() {
                if let TypeKind::Alias(Ty::Json | Ty::JsonObject) = self.types[pid].kind {
                    // A free-form body beside parameters: the body becomes a flattened JSON object.
                    self.types[pid].kind = TypeKind::Struct(vec![Field {
                        wire: "body".into(),
                        name: "body".into(),
                        ty: Ty::JsonObject,
                        required: true,
                        nullable: false,
                        boxed: false,
                        flatten: true,
                        location: None,
                        meta: Meta {
                            docs: Some("The JSON body: any object.".into()),
                            ..Meta::default()
                        },
                    }]);
                }
                match &mut self.types[pid].kind {
                    TypeKind::Struct(fields) => fields.extend(param_fields),
                    _ => {
                        return Err(Error::new(
                            ErrorKind::Unsupported,
                            &params[0].pointer,
                            "expected parameters only beside an object request body",
                        ))
                    }
                }
            }
        } else {
            let mut fields = param_fields;
            if let Some(Body {
                ty,
                placement: BodyPlacement::Field { required, .. },
                ..
            }) = &body
            {
                fields.push(Field {
                    wire: "body".into(),
                    name: "body".into(),
                    ty: ty.clone(),
                    required: *required,
                    nullable: false,
                    boxed: false,
                    flatten: false,
                    location: None,
                    meta: Meta {
                        docs: Some("The request body.".into()),
                        ..Meta::default()
                    },
                });
            }
            if !fields.is_empty() {
                let mut hint = base_hint.clone();
                hint.push("params".into());
                let ctx = Ctx {
                    pointer: pointer.to_string(),
                    hint,
                    ..op_ctx.clone()
                };
                params_type = Some(self.new_type(&ctx, Meta::default(), TypeKind::Struct(fields)));
            }
        }
        // Final field names (deduplicated) back into the plan.
        if let Some(pid) = params_type {
            self.types[pid].operation_type = true;
            if let TypeKind::Struct(fields) = &mut self.types[pid].kind {
                dedupe_field_names(fields);
                for p in params.iter_mut() {
                    if let Some(f) = fields
                        .iter()
                        .find(|f| f.wire == p.wire && f.location == Some(p.location))
                    {
                        p.field = f.name.clone();
                    }
                }
                if let Some(Body {
                    placement: BodyPlacement::Field { field, .. },
                    ..
                }) = &mut body
                {
                    if let Some(f) = fields
                        .iter()
                        .find(|f| f.wire == "body" && f.location.is_none())
                    {
                        *field = f.name.clone();
                    }
                }
            }
        }

        // Responses.
        let (success, errors) = self.lower_responses(source, op, &op_ctx, &base_hint)?;
        let response_fields = match success.response_type.map(|id| &self.types[id].kind) {
            Some(TypeKind::Struct(fields)) => fields.clone(),
            _ => Vec::new(),
        };
        let returns = self.profile.returns(source, &response_fields)?;

        // Security: the operation's, else the document's.
        let requirements = op.security.as_ref().or(self.spec.security.as_ref());
        let security: Vec<Vec<String>> = requirements
            .map(|reqs| {
                reqs.iter()
                    .map(|req| req.keys().cloned().collect())
                    .collect()
            })
            .unwrap_or_default();

        let (features, gates) = self.profile.features(op, &location);
        let deprecated = super::extension_note(&op.extensions, "x-deprecated")
            .or(op.deprecated.then(String::new));
        let mut operation = Operation {
            path: source.path.to_string(),
            method: source.method,
            pointer: pointer.to_string(),
            group,
            name,
            title: self.profile.title(op),
            meta: Meta {
                docs: op.description.clone().filter(|d| !d.trim().is_empty()),
                deprecated,
                ..Meta::default()
            },
            gates,
            params,
            params_type,
            body,
            success,
            errors,
            returns,
            pagination: None,
            job: None,
            idempotent: false,
            security,
            features,
        };
        self.profile.extras(&self.types, &mut operation);
        self.profile.check_operation(&operation)?;
        Ok(operation)
    }

    /// The success responses (a `2XX` code or range; `default` when there is none) and the type of
    /// the error responses.
    fn lower_responses(
        &mut self,
        source: &OperationSource<'_>,
        op: &'a openapiv3::Operation,
        op_ctx: &Ctx,
        base_hint: &[String],
    ) -> Result<(Success, Vec<(Ty, String)>), Error> {
        let responses_ptr = push_segment(source.pointer, "responses");
        if self.profile.responses() == Responses::Only200 {
            return self.lower_200_response(source, op, op_ctx, base_hint);
        }
        let mut all: Vec<(StatusMatch, &'a ReferenceOr<Response>, String)> = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| {
                let (status, key) = match code {
                    StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                    StatusCode::Range(r) => (StatusMatch::Range(*r), format!("{r}XX")),
                };
                (status, r, push_segment(&responses_ptr, &key))
            })
            .collect();
        if let Some(d) = &op.responses.default {
            all.push((
                StatusMatch::Default,
                d,
                push_segment(&responses_ptr, "default"),
            ));
        }
        let is_success = |s: &StatusMatch| match s {
            StatusMatch::Code(c) => (200..300).contains(c),
            StatusMatch::Range(r) => *r == 2,
            StatusMatch::Default => false,
        };
        let any_success = all.iter().any(|(s, _, _)| is_success(s));
        let mut success = Success {
            empty: Vec::new(),
            body: ResponseBody::Empty,
            response_type: None,
        };
        let mut error_tys: Vec<(Ty, String)> = Vec::new();
        for (status, r, ptr) in all {
            let (response, target) = self.follow(r, "responses", |c| &c.responses, &ptr)?;
            // Response headers are not returned by the function, but their references must resolve.
            for (name, header) in &response.headers {
                self.follow(
                    header,
                    "headers",
                    |c| &c.headers,
                    &push_segment(&push_segment(&target, "headers"), name),
                )?;
            }
            let succeeds = is_success(&status) || (!any_success && status == StatusMatch::Default);
            let word = if succeeds { "response" } else { "error" };
            let Some((media, m, class)) = choose_media(&response.content) else {
                if succeeds {
                    success.empty.push(status);
                }
                continue;
            };
            let media_ptr = push_segment(&push_segment(&target, "content"), media);
            let mut hint = base_hint.to_vec();
            hint.push(word.into());
            let ctx = Ctx {
                pointer: push_segment(&media_ptr, "schema"),
                hint,
                ..op_ctx.clone()
            };
            // A response of `#/components/responses/<name>` is one type, named after its entry
            // (`Unauthorized`), not one per operation referring to it.
            let shared = target
                .strip_prefix("#/components/responses/")
                .map(|rest| rest.split('/').next().unwrap_or(rest))
                .map(crate::error::unescape_segment);
            let body = match (class, &m.schema) {
                (MediaClass::Json | MediaClass::Form | MediaClass::Multipart, Some(schema)) => {
                    match shared {
                        Some(name) => {
                            if let Some(ty) = self.shared_responses.get(&ctx.pointer) {
                                ResponseBody::Json(ty.clone())
                            } else {
                                let ctx = Ctx {
                                    hint: vec![name],
                                    component: None,
                                    group: None,
                                    ..ctx.clone()
                                };
                                let ty = self.lower_schema(schema.into(), &ctx)?.0;
                                self.shared_responses.insert(ctx.pointer, ty.clone());
                                ResponseBody::Json(ty)
                            }
                        }
                        None => ResponseBody::Json(self.lower_schema(schema.into(), &ctx)?.0),
                    }
                }
                (MediaClass::Json | MediaClass::Form | MediaClass::Multipart, None) => {
                    ResponseBody::Json(Ty::Json)
                }
                (MediaClass::Text, _) => ResponseBody::Text,
                (MediaClass::Bytes, _) => ResponseBody::Bytes,
            };
            if !succeeds {
                if let ResponseBody::Json(ty) = body {
                    error_tys.push((ty, ptr));
                }
                continue;
            }
            if success.body == ResponseBody::Empty {
                success.body = body;
            } else if success.body != body {
                self.warnings.push(Warning {
                    pointer: media_ptr,
                    message: "this success response has another body than the operation's first one; \
                              the function returns the first one's type and decodes this one as JSON \
                              if it can"
                        .into(),
                });
            }
        }
        if success.body == ResponseBody::Empty {
            // No typed body: the bodiless statuses are the only success, not an `Option`'s `None`.
            success.empty.clear();
        }
        if let ResponseBody::Json(Ty::Named(id)) = success.body {
            success.response_type = Some(id);
        }
        Ok((success, error_tys))
    }

    /// [`Responses::Only200`]: the `200` JSON body, always a named type of its own.
    fn lower_200_response(
        &mut self,
        source: &OperationSource<'_>,
        op: &'a openapiv3::Operation,
        op_ctx: &Ctx,
        base_hint: &[String],
    ) -> Result<(Success, Vec<(Ty, String)>), Error> {
        let responses_ptr = push_segment(source.pointer, "responses");
        let ok = op
            .responses
            .responses
            .get(&StatusCode::Code(200))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Schema,
                    &responses_ptr,
                    "expected a `200` response",
                )
            })?;
        let (ok, ok_ptr) = self.follow(
            ok,
            "responses",
            |c| &c.responses,
            &push_segment(&responses_ptr, "200"),
        )?;
        let mut hint = base_hint.to_vec();
        hint.push("response".into());
        let json = ok
            .content
            .iter()
            .find(|(k, _)| classify(k) == MediaClass::Json);
        let response = match json.and_then(|(k, m)| m.schema.as_ref().map(|s| (k, s))) {
            Some((media, schema)) => {
                let ctx = Ctx {
                    pointer: push_segment(
                        &push_segment(&push_segment(&ok_ptr, "content"), media),
                        "schema",
                    ),
                    hint,
                    ..op_ctx.clone()
                };
                self.lower_body(schema.into(), &ctx)?
            }
            None => {
                let ctx = Ctx {
                    pointer: ok_ptr.clone(),
                    hint,
                    ..op_ctx.clone()
                };
                self.new_type(&ctx, Meta::default(), TypeKind::Struct(Vec::new()))
            }
        };
        self.types[response].operation_type = true;
        Ok((
            Success {
                empty: Vec::new(),
                body: ResponseBody::Json(Ty::Named(response)),
                response_type: Some(response),
            },
            Vec::new(),
        ))
    }
}

/// Numbers functions that share a name within a group (`list`, `list_2`), with a warning, when the
/// profile allows it; else leaves them for `passes::check_operation_names` to refuse.
pub(super) fn number_clashes(ir: &mut Ir, policy: &ClashPolicy, warnings: &mut Vec<Warning>) {
    if *policy != ClashPolicy::Number {
        return;
    }
    let mut taken: BTreeSet<(Vec<String>, String)> = BTreeSet::new();
    for op in ir.operations.iter_mut() {
        let mut name = op.name.clone();
        let mut n = 1;
        while !taken.insert((op.group.clone(), name.clone())) {
            n += 1;
            name = format!("{}_{n}", op.name);
        }
        if name != op.name {
            warnings.push(Warning {
                pointer: op.pointer.clone(),
                message: format!(
                    "another operation is also named `{}`; this one is generated as `{name}`",
                    op.name
                ),
            });
            op.name = name;
        }
    }
}
